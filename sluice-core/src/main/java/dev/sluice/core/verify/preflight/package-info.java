/**
 * Preflight: checks of the instruments verification stands on, made before and while jobs run. The
 * resolver (canary domains have MX records, a random name under one does not exist), the SMTP egress (a
 * connection to a canary's mail server on the SMTP port opens), and this server's identity (the HELO name
 * resolves and its reverse DNS matches; the egress address is on no DNS blocklist). Each answers {@code ok},
 * {@code failed} or {@code skipped} with a sentence; {@link dev.sluice.core.verify.preflight.PreflightReport#network()}
 * is what the verification engine's gate answers. Uses {@code verify.dns} and {@code verify.smtp}.
 */
package dev.sluice.core.verify.preflight;
