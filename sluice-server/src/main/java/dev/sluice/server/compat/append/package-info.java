/**
 * The email-append front door (seeds {@code 000} and {@code 001}): the seed's paths, headers, field names
 * and state words, translated onto native append jobs and batches; no processing of its own. It owns the
 * authorization tokens ({@code compat_append_tokens}, SHA-256 only) and each batch-file's own listener
 * ({@code compat_append_batch_notifications}, URL sealed, handed to the outbox as a
 * {@code delivery.BatchNotifications}), and may use {@code account},
 * {@code job}, {@code ingest}, {@code dataset}, {@code delivery} (the notification URL rule), {@code config},
 * {@code store}, {@code problem} and the front-door kit {@code door}, never {@code api} or another door.
 * {@code SeedErrorHandler} is the one place its errors become its envelope.
 *
 * <p>Endpoints ({@code {version}} is {@code v} and digits, e.g. {@code v3}): {@code POST /{version}/authorization}
 * with {@code x-api-key} answers {@code {"token": "...", "expiration_date": "<epoch millis>"}}, the token good
 * for {@code sluice.compat.append.token-ttl} (1 h) with that key only. Every other call needs {@code x-api-key}
 * and {@code AuthorizationToken}: {@code POST .../async/append/email/job} ({@code name}, {@code output_format}
 * JSON by default, CSV or NDJSON, {@code notification_URL}, {@code notification_method}) → {@code {"job_id"}};
 * {@code GET .../job/{job_id}} → {@code state}, {@code number_batches_*}, {@code created_date},
 * {@code output_format}, {@code batch_list}; {@code POST .../job/{job_id}/batch-file} → {@code batch_id},
 * {@code upload_URL} (PUT, 8 h); {@code POST .../job/{job_id}/batch} with {@code {"records": [...]}} (the
 * asynchronous batch) → {@code batch_id}; {@code GET .../batch-file/{batch_id}} or {@code .../batch/{batch_id}}
 * → {@code state}, {@code created_date}; {@code .../result} → {@code download_url} once COMPLETED (409 before).
 * A job is a native {@code append} job on the account's dataset {@code sluice.compat.append.dataset}
 * (made on first use), matched on first_name, last_name, address, zip, appending email. Ids are the native
 * ones. Refusals are {@code {"message": "..."}}: 400 bad payload, 401 missing/invalid/expired token, 403
 * missing/unknown API key, 404 unknown id, 409 result not ready, 410 result purged.
 */
package dev.sluice.server.compat.append;
