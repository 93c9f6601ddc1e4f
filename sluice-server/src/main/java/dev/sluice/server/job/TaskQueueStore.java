package dev.sluice.server.job;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL over db-scheduler's task table for the queue depth: executions that are due and not claimed. */
@Repository
class TaskQueueStore {

    /**
     * Due and unclaimed executions by task name. Times are bound as {@link Timestamp}, exactly as the
     * scheduler binds them, so the comparison holds in both dialects' column types.
     */
    private static final String DUE_BY_TASK = """
            SELECT task_name, COUNT(*) AS n FROM scheduled_tasks
            WHERE picked = :picked AND execution_time <= :now
            GROUP BY task_name
            """;

    private final JdbcClient jdbc;

    TaskQueueStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Executions due at {@code now} that no worker has claimed, by task name; names without any are absent. */
    Map<String, Long> dueByTask(Instant now) {
        Map<String, Long> due = new TreeMap<>();
        jdbc.sql(DUE_BY_TASK).param("picked", false).param("now", Timestamp.from(now)).query(rs -> {
            due.put(rs.getString("task_name"), rs.getLong("n"));
        });
        return due;
    }
}
