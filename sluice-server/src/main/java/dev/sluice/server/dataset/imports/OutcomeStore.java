package dev.sluice.server.dataset.imports;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for per-record outcomes ({@code record_outcome_runs}): written when a batch completes, read in pages. A row
 * is a run of consecutive indexes with one outcome and no error (a failed record is a run of one, with its error),
 * so a batch whose records all completed keeps one row. Runs of a batch never overlap.
 */
@Repository
public class OutcomeStore {

    /** Rows per JDBC batch when outcomes are written one by one. */
    static final int BATCH_ROWS = 1_000;

    private static final String INSERT = """
            INSERT INTO record_outcome_runs (batch_id, first_idx, last_idx, outcome, error) VALUES (?, ?, ?, ?, ?)
            """;

    private static final String DELETE_BATCH = "DELETE FROM record_outcome_runs WHERE batch_id = :batch_id";

    // runs never overlap, so the order of their last indexes is the order of their records
    private static final String PAGE = """
            SELECT first_idx, last_idx, outcome, error FROM record_outcome_runs
            WHERE batch_id = :batch_id AND last_idx > :after
            ORDER BY last_idx LIMIT :limit
            """;

    private static final String PAGE_OF = """
            SELECT first_idx, last_idx, outcome, error FROM record_outcome_runs
            WHERE batch_id = :batch_id AND outcome = :outcome AND last_idx > :after
            ORDER BY last_idx LIMIT :limit
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

    /** Inserts outcomes of one batch, each its own run, {@value #BATCH_ROWS} to a JDBC batch. */
    public void insert(String batchId, List<RecordOutcome> outcomes) {
        insertRows(batchId, outcomes, (ps, o) -> setRun(ps, o.index(), o.index(), o.outcome(), o.error()));
    }

    /** Inserts runs of records of one batch with one outcome and no error, {@value #BATCH_ROWS} to a JDBC batch. */
    void insertRuns(String batchId, Outcome outcome, List<StagedParts.Run> runs) {
        insertRows(batchId, runs, (ps, run) -> setRun(ps, run.first(), run.last(), outcome, null));
    }

    private <T> void insertRows(String batchId, List<T> rows, ParameterizedPreparedStatementSetter<T> values) {
        for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
            List<T> slice = rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS));
            template.batchUpdate(INSERT, slice, slice.size(), (ps, row) -> {
                ps.setString(1, batchId);
                values.setValues(ps, row);
            });
        }
    }

    private static void setRun(PreparedStatement ps, long first, long last, Outcome outcome, String error)
            throws SQLException {
        ps.setLong(2, first);
        ps.setLong(3, last);
        ps.setString(4, outcome.wire());
        ps.setString(5, error);
    }

    /** Up to {@code limit} outcomes after index {@code after} (-1 for the start), in index order; all kinds if null. */
    public List<RecordOutcome> page(String batchId, Outcome outcome, long after, int limit) {
        // each run holds at least one record after 'after', so 'limit' runs are enough
        JdbcClient.StatementSpec spec = jdbc.sql(outcome == null ? PAGE : PAGE_OF)
                .param("batch_id", batchId).param("after", after).param("limit", limit);
        if (outcome != null) {
            spec = spec.param("outcome", outcome.wire());
        }
        List<RecordOutcome> page = new ArrayList<>(limit);
        spec.query(rs -> {
            Outcome kind = Outcome.fromWire(rs.getString("outcome"));
            String error = rs.getString("error");
            for (long index = Math.max(rs.getLong("first_idx"), after + 1);
                 index <= rs.getLong("last_idx") && page.size() < limit; index++) {
                page.add(new RecordOutcome(index, kind, error));
            }
        });
        return page;
    }
}
