package dev.sluice.server.store;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the nodes table and the tasks each node is running. */
@Repository
public class NodeStore {

    private static final String UPSERT = """
            INSERT INTO nodes (id, roles, started_at, heartbeat_at) VALUES (:id, :roles, :now, :now)
            ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, heartbeat_at = excluded.heartbeat_at
            """;

    private static final String RESTART = """
            UPDATE nodes SET started_at = :now, heartbeat_at = :now, roles = :roles WHERE id = :id
            """;

    private static final String LIVE = """
            SELECT id, roles, started_at, heartbeat_at FROM nodes WHERE heartbeat_at >= :since ORDER BY id
            """;

    private static final String RUNNING = """
            SELECT task_name, task_instance FROM scheduled_tasks WHERE picked = :picked AND picked_by = :node
            ORDER BY task_name, task_instance
            """;

    private final JdbcClient jdbc;

    public NodeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A node as recorded. */
    public record Node(String id, List<String> roles, Instant startedAt, Instant heartbeatAt) {
    }

    public void started(String id, List<String> roles, Instant now) {
        heartbeat(id, roles, now);
        jdbc.sql(RESTART).param("id", id).param("roles", String.join(",", roles)).param("now", now.toEpochMilli()).update();
    }

    public void heartbeat(String id, List<String> roles, Instant now) {
        jdbc.sql(UPSERT).param("id", id).param("roles", String.join(",", roles)).param("now", now.toEpochMilli()).update();
    }

    /** Nodes whose last heartbeat is at or after {@code since}. */
    public List<Node> live(Instant since) {
        return jdbc.sql(LIVE).param("since", since.toEpochMilli()).query((rs, row) -> new Node(rs.getString("id"),
                List.of(rs.getString("roles").split(",")), Instant.ofEpochMilli(rs.getLong("started_at")),
                Instant.ofEpochMilli(rs.getLong("heartbeat_at")))).list();
    }

    /** The tasks a node has claimed, as {@code task-name/instance}. */
    public List<String> running(String nodeId) {
        return jdbc.sql(RUNNING).param("picked", true).param("node", nodeId)
                .query((rs, row) -> rs.getString("task_name") + "/" + rs.getString("task_instance")).list();
    }
}
