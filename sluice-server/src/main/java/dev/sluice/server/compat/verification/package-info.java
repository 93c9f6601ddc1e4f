/**
 * The email batch verification front door (seed {@code 002}): {@code POST /email/batch} (multipart field
 * {@code email}), {@code GET /email/batch}, {@code GET /email/batch/<job_id>} and its {@code ?download},
 * authenticated by the {@code lqtkey} query parameter, answering the seed's {@code "Status"} envelope. A thin
 * translation: each upload is one native verify job with one batch ({@code job}, {@code ingest}), the
 * caller is the native account of the key ({@code account}), the result is the native result file
 * ({@code storage}) with its columns renamed. Owns only the mapping of its 52-character job ids onto native
 * jobs (with the download mark and charge) and the account credit balance; holds its SQL in
 * {@link dev.sluice.server.compat.verification.EmailBatchStore} and
 * {@link dev.sluice.server.compat.verification.CreditStore}. Must not use {@code api}.
 */
package dev.sluice.server.compat.verification;
