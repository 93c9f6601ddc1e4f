package dev.sluice.client;

import java.time.Instant;

/**
 * A batch created to receive a file: PUT the file to {@code uploadUrl} before {@code uploadExpiresAt}
 * (see {@link SluiceClient#upload}). The URL is signed, so it needs no API key.
 */
public record BatchFile(String id, String jobId, BatchStatus status, String uploadUrl, Instant uploadExpiresAt) {
}
