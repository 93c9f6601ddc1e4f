/**
 * The verify and estimate operations in the server: runs the core's verification engine over each chunk (verify:
 * every stage, copies of repeated addresses taking their first copy's verdict; estimate: every stage but SMTP,
 * summed into the batch's quote) and assembles the result file, keeps each account's own rules
 * ({@code AccountRuleStore}), asks addresses answered "try again later" again after the configured delays (their
 * own table and task, settling deferred records through the {@code BatchLifecycle} facade), and keeps the SMTP
 * transcripts of jobs that ask for them ({@code TranscriptStore}, read by the API through
 * {@code TranscriptReader}); derives from the finished file its report and, on request, filtered copies
 * ({@code ResultFiles}). Plugs into {@code job} as chunk processors; the verification itself lives in
 * {@code sluice-core}. Also owns the single-address check ({@code SingleCheck}, the facade the API's
 * {@code POST /api/v1/verify} calls): the same engine with a deadline and the account's rules, and the daily
 * count of evaluation keys' checks ({@code SingleCheckStore}). {@code PreflightService} runs this node's preflight
 * checks (resolver, SMTP egress, HELO name, blocklists) and is the engine's network gate: while a check fails, the
 * stage it watches pauses. It also owns what the verification of every node shares: the provider table bean,
 * and the SMTP throttles kept in the store ({@code ThrottleStore}, used through {@code ClusterThrottle}).
 */
package dev.sluice.server.verify;
