/**
 * Getting records in: batches created for a signed upload URL, multipart uploads, inline JSON records;
 * streaming them to blob storage within the limits, and queueing them for loading. Also signs the links
 * that work without an API key. Fetches source URIs for the workers (http, https, passive FTP) within the
 * fetch bounds and slots, and owns {@link dev.sluice.server.ingest.AddressGuard}, the rule every server-side
 * connection to a user-named host passes first. Uses {@code job}, {@code account}, {@code store} and {@code storage}.
 */
package dev.sluice.server.ingest;
