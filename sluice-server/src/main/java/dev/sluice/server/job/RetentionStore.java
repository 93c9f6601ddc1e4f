package dev.sluice.server.job;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the retention purge: which batches hold files past their retention, and marking them purged.
 * A completed batch expires at {@code result_expires_at}; a failed, malformed or cancelled one (chunk
 * leftovers only) after its job's retention counted from its last change. Purged batches keep their row
 * and counters; {@code result_purged_at} says when the files went.
 */
@Repository
class RetentionStore {

    private static final String EXPIRED = """
            SELECT b.id, j.operation
            FROM batches b JOIN jobs j ON j.id = b.job_id
            WHERE b.result_purged_at IS NULL
              AND ((b.status = 'completed' AND b.result_expires_at <= :now)
                OR (b.status IN ('failed', 'malformed', 'cancelled')
                    AND b.updated_at + j.retention_hours * 3600000 <= :now))
            ORDER BY b.updated_at, b.id
            LIMIT :limit
            """;

    private static final String MARK_PURGED = """
            UPDATE batches SET result_purged_at = :now, updated_at = :now, version = version + 1
            WHERE id = :id AND result_purged_at IS NULL
            """;

    private static final String PURGED_AT = "SELECT result_purged_at FROM batches WHERE id = :id";

    private final JdbcClient jdbc;

    RetentionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A batch whose files are due for deletion. */
    record Expired(String batchId, Operation operation) {
    }

    /** Up to {@code limit} batches whose files are past retention at {@code now} and not yet purged, oldest first. */
    List<Expired> expired(Instant now, int limit) {
        return jdbc.sql(EXPIRED).param("now", now.toEpochMilli()).param("limit", limit)
                .query((rs, row) -> new Expired(rs.getString("id"), Operation.fromWire(rs.getString("operation"))))
                .list();
    }

    /** Marks the batch purged; false when another run did it first. */
    boolean markPurged(String batchId, Instant now) {
        return jdbc.sql(MARK_PURGED).param("id", batchId).param("now", now.toEpochMilli()).update() == 1;
    }

    /** When the batch was purged, or null while its files are kept. */
    Instant purgedAt(String batchId) {
        Long millis = jdbc.sql(PURGED_AT).param("id", batchId).query((rs, row) -> {
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        }).optional().orElse(null);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
