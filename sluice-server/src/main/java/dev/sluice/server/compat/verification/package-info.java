/**
 * The email batch verification front door (seed {@code 002}): {@code POST /email/batch} (multipart field
 * {@code email}), {@code GET /email/batch}, {@code GET /email/batch/<job_id>} and its {@code ?download},
 * authenticated by the {@code lqtkey} query parameter, answering the seed's {@code "Status"} envelope. A thin
 * translation: each upload is one native verify job with one batch ({@code job}, {@code ingest}), the
 * caller is the native account of the key ({@code account}), the result is the native result file
 * ({@code storage}) with its columns renamed. Owns only the mapping of its 52-character job ids onto native
 * jobs (with the download mark and charge); holds its SQL in
 * {@link dev.sluice.server.compat.verification.EmailBatchStore}. The credit balance it charges is the
 * account's ({@link dev.sluice.server.account.CreditStore}), which the native API also sets. Uses the
 * front-door kit ({@code door}); must not use {@code api} or another door.
 */
package dev.sluice.server.compat.verification;
