package dev.sluice.server.account;

import java.time.Instant;

/** A key as handed out once: the secret {@code key} is never stored or shown again. */
public record IssuedKey(String id, String accountId, ApiKeyKind kind, String key, Instant createdAt) {
}
