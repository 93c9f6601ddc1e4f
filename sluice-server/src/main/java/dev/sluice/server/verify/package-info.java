/**
 * The verify operation in the server: runs the core's email verifier over each chunk and assembles the
 * result file. Plugs into {@code job} as a chunk processor; the verification itself lives in
 * {@code sluice-core}. {@code PreflightService} runs this node's preflight checks (resolver, SMTP egress, HELO
 * name, blocklists) and is the engine's network gate: while a check fails, the stage it watches pauses.
 */
package dev.sluice.server.verify;
