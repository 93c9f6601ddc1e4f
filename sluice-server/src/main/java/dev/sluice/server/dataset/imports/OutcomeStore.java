package dev.sluice.server.dataset.imports;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for per-record outcomes ({@code record_outcomes}): written when a batch completes, read in pages. */
@Repository
public class OutcomeStore {

    /** Rows per JDBC batch when outcomes are written one by one. */
    static final int BATCH_ROWS = 1_000;

    private static final String INSERT = """
            INSERT INTO record_outcomes (batch_id, idx, outcome, error) VALUES (?, ?, ?, ?)
            """;

    private static final String DELETE_BATCH = "DELETE FROM record_outcomes WHERE batch_id = :batch_id";

    private static final String PAGE = """
            SELECT idx, outcome, error FROM record_outcomes
            WHERE batch_id = :batch_id AND idx > :after
            ORDER BY idx LIMIT :limit
            """;

    private static final String PAGE_OF = """
            SELECT idx, outcome, error FROM record_outcomes
            WHERE batch_id = :batch_id AND outcome = :outcome AND idx > :after
            ORDER BY idx LIMIT :limit
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public OutcomeStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Removes a batch's outcomes, so that writing them again is repeatable. */
    public void deleteBatch(String batchId) {
        jdbc.sql(DELETE_BATCH).param("batch_id", batchId).update();
    }

    /** Inserts outcomes of one batch, {@value #BATCH_ROWS} to a JDBC batch. */
    public void insert(String batchId, List<RecordOutcome> outcomes) {
        for (int from = 0; from < outcomes.size(); from += BATCH_ROWS) {
            List<RecordOutcome> slice = outcomes.subList(from, Math.min(outcomes.size(), from + BATCH_ROWS));
            template.batchUpdate(INSERT, slice, slice.size(), (ps, o) -> {
                ps.setString(1, batchId);
                ps.setLong(2, o.index());
                ps.setString(3, o.outcome().wire());
                ps.setString(4, o.error());
            });
        }
    }

    /** Up to {@code limit} outcomes after index {@code after} (-1 for the start), in index order; all kinds if null. */
    public List<RecordOutcome> page(String batchId, Outcome outcome, long after, int limit) {
        JdbcClient.StatementSpec spec = jdbc.sql(outcome == null ? PAGE : PAGE_OF)
                .param("batch_id", batchId).param("after", after).param("limit", limit);
        if (outcome != null) {
            spec = spec.param("outcome", outcome.wire());
        }
        return spec.query((rs, row) -> new RecordOutcome(rs.getLong("idx"), Outcome.fromWire(rs.getString("outcome")),
                rs.getString("error"))).list();
    }
}
