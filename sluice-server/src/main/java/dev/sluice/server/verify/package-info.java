/**
 * The verify and estimate operations in the server: runs the core's verification engine over each chunk (verify:
 * every stage, copies of repeated addresses taking their first copy's verdict; estimate: every stage but SMTP,
 * summed into the batch's quote), assembles the result file, and keeps each account's own rules
 * ({@code AccountRuleStore}). Plugs into {@code job} as chunk processors; the verification itself lives in
 * {@code sluice-core}.
 */
package dev.sluice.server.verify;
