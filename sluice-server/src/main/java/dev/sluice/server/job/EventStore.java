package dev.sluice.server.job;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the job log. Entries are appended in the transaction of the change they record. */
@Repository
class EventStore {

    private static final String INSERT = """
            INSERT INTO events (job_id, account_id, batch_id, type, message, at)
            VALUES (:job_id, :account_id, :batch_id, :type, :message, :at)
            """;

    private static final String SELECT_PAGE = """
            SELECT id, job_id, batch_id, type, message, at FROM events
            WHERE job_id = :job_id AND id > :after
            ORDER BY id
            LIMIT :limit
            """;

    private final JdbcClient jdbc;

    public EventStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void append(String accountId, String jobId, String batchId, EventType type, String message, Instant at) {
        jdbc.sql(INSERT)
                .param("job_id", jobId)
                .param("account_id", accountId)
                .param("batch_id", batchId)
                .param("type", type.wire())
                .param("message", message)
                .param("at", at.toEpochMilli())
                .update();
    }

    /** Oldest first, after the entry with id {@code after} (0 for the start). */
    public List<Event> page(String jobId, long after, int limit) {
        return jdbc.sql(SELECT_PAGE)
                .param("job_id", jobId)
                .param("after", after)
                .param("limit", limit)
                .query((rs, row) -> new Event(rs.getLong("id"), rs.getString("job_id"), rs.getString("batch_id"),
                        rs.getString("type"), rs.getString("message"), Instant.ofEpochMilli(rs.getLong("at"))))
                .list();
    }
}
