/**
 * The reference-data file import front door (seed {@code 003}): the seed's paths, headers, fields, state
 * words and error envelope, translated onto a native {@code import} job with one fetched batch; no
 * processing of its own. It owns {@code compat_refdata_tickets} (what a ticket echoes of its request, and
 * the caller's {@code responseUri} / {@code responseRef}) and may use {@code account}, {@code job},
 * {@code dataset}, {@code delivery} (the notification URL rule, {@code NotificationPayload}), {@code config},
 * {@code store}, {@code problem} and the front-door kit {@code door}, never {@code api} or another door.
 * {@code RefDataErrorHandler} is the one place its errors become its envelope.
 *
 * <p>Endpoints, each needing {@code Api-User} (the account's name or id) and {@code Api-Key} (one of its
 * API keys): {@code GET /v2/reference-data/{dataset}?view=schema} → {@code name}, {@code columns}
 * [{@code name, type, required, key}], {@code key}; {@code POST /v2/reference-data/{dataset}/records/file-import}
 * with {@code {"errorThreshold", "importType", "source": {"headers", "mappings", "separator", "uri"}}} and
 * optional {@code ?responseUri=&responseRef=} → 202, {@code Content-Location: .../v2/tickets/{id}} and the
 * ticket; {@code GET /v2/tickets/{id}} → {@code id, state} ({@code accepted}, {@code processing},
 * {@code completed}, {@code failed}), {@code message, lastUpdate, events[], request, response};
 * {@code GET /v2/async-results/{id}} → {@code id, lastUpdate, counts} and the {@code completed},
 * {@code failed}, {@code ignored} index lists. The ticket id is the native job id and the async result id
 * the native batch id. {@code responseUri} becomes the job's notification (POST), whose body is the final
 * ticket. Refusals are {@code {"status": <code>, "message": "..."}}: 400 bad payload or unknown dataset on
 * import, 401 missing or wrong credentials, 404 unknown id or dataset, 410 results past their retention.
 */
package dev.sluice.server.compat.refdata;
