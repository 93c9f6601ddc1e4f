package dev.sluice.client;

import java.time.Instant;

/**
 * An API key as issued: {@code key} is the secret, returned only once.
 *
 * @param kind {@code live}, or {@code evaluation} (at most 1,000 records per file)
 */
public record ApiKey(String id, String kind, String key, Instant createdAt) {
}
