package dev.sluice.server.dataset;

import dev.sluice.core.dataset.Schema;
import java.time.Instant;

/**
 * A reference-data table of one account: its name, schema and key, and the SQL table holding its records
 * ({@code tableName}, derived from the id, never from user input).
 */
public record Dataset(String id, String accountId, String name, Schema schema, String tableName, Instant createdAt) {
}
