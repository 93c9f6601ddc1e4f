package dev.sluice.server.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The record counters as batches and jobs store them: one {@code records_*} column per counter, the same
 * names in both tables, bound and read in one place.
 */
final class CounterColumns {

    /** {@code SET} fragment adding {@code :processed}, {@code :valid}... to the counters. */
    static final String ADD = """
            records_processed = records_processed + :processed,
                records_valid = records_valid + :valid, records_invalid = records_invalid + :invalid,
                records_accept_all = records_accept_all + :accept_all, records_unknown = records_unknown + :unknown,
                records_completed = records_completed + :completed, records_failed = records_failed + :failed,
                records_ignored = records_ignored + :ignored,
                records_deferred = records_deferred + :deferred,
                records_duplicates = records_duplicates + :duplicates""";

    private CounterColumns() {
    }

    /** Binds the parameters of {@link #ADD}. */
    static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, RecordCounts counts) {
        return spec.param("processed", counts.processed())
                .param("valid", counts.valid())
                .param("invalid", counts.invalid())
                .param("accept_all", counts.acceptAll())
                .param("unknown", counts.unknown())
                .param("completed", counts.completed())
                .param("failed", counts.failed())
                .param("ignored", counts.ignored())
                .param("deferred", counts.deferred())
                .param("duplicates", counts.duplicates());
    }

    /** The counters of the current row. */
    static RecordCounts read(ResultSet rs) throws SQLException {
        return new RecordCounts(rs.getLong("records_total"), rs.getLong("records_processed"),
                rs.getLong("records_valid"), rs.getLong("records_invalid"), rs.getLong("records_accept_all"),
                rs.getLong("records_unknown"), rs.getLong("records_completed"), rs.getLong("records_failed"),
                rs.getLong("records_ignored"), rs.getLong("records_deferred"), rs.getLong("records_duplicates"));
    }
}
