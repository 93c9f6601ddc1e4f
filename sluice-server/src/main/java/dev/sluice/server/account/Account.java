package dev.sluice.server.account;

import java.time.Instant;

/** A tenant: owns API keys, jobs and everything they produce. Admin accounts may create accounts. */
public record Account(String id, String name, boolean admin, Instant createdAt) {
}
