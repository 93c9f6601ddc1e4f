/**
 * The bulk async export front door (seed {@code 004}): an export request is submitted, its status is
 * inquired, and once it is {@code Complete} the zipped XML file waits in the account's SFTP drop for 72
 * hours. The seed names that flow, not a wire format; this package's shape is ours and documented in the
 * README: {@code POST /bulk-async/exports} with {@code x-api-key} and {@code {"dataset", "fields"?,
 * "filter"?}} answers 202 with a {@code request_id}, and {@code GET /bulk-async/exports/{request_id}}
 * answers {@code Queued}, {@code InProcess}, {@code Complete} or {@code Error}. Refusals are
 * {@code {"error": "<code>", "message": "..."}}.
 *
 * <p>A thin translation: each request is one native {@code export} job (XML, zipped) whose one batch the
 * {@code export} capability produces and copies into the drop under {@code exports/}; its retention is
 * {@code sluice.compat.export.retention} (72 h), after which the native retention purge deletes the file.
 * The request id is the job id, so this package owns no table. Uses {@code account}, {@code job},
 * {@code dataset}, {@code drop} (its keys and port), {@code storage}, {@code config}, {@code problem} and
 * the front-door kit {@code door}; never {@code api} or another door. {@code BulkExportErrorHandler} is the
 * one place its errors become its envelope.
 */
package dev.sluice.server.compat.export;
