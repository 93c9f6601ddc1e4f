package dev.sluice.server.account;

import java.time.Instant;

/** An API key as it can be shown again: its id, kind and the first characters of the secret, never the secret. */
public record KeyInfo(String id, String accountId, ApiKeyKind kind, String prefix, Instant createdAt) {
}
