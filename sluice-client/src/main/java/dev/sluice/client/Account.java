package dev.sluice.client;

import java.time.Instant;

/**
 * An account (a tenant) as created by an admin, with its first API key.
 *
 * @param apiKey the first key, whose secret is shown only in this answer
 */
public record Account(String id, String name, boolean admin, Instant createdAt, ApiKey apiKey) {
}
