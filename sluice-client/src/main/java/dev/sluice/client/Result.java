package dev.sluice.client;

import java.time.Instant;

/**
 * Where to fetch a completed batch's result. {@code downloadUrl} is signed and works without an API key
 * until {@code expiresAt} (see {@link SluiceClient#download}).
 *
 * @param format  format of the file, e.g. {@code csv}
 * @param records records in the file
 */
public record Result(String downloadUrl, Instant expiresAt, String format, long records) {
}
