/**
 * Getting records in: batches created for a signed upload URL, multipart uploads, inline JSON records;
 * streaming them to blob storage within the limits, and queueing them for loading. Also signs the links
 * that work without an API key. Uses {@code job}, {@code account}, {@code store} and {@code storage}.
 */
package dev.sluice.server.ingest;
