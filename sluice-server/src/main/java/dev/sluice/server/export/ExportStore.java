package dev.sluice.server.export;

import dev.sluice.core.dataset.Column;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetStore;
import dev.sluice.server.store.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a dataset's records for an export through a forward-only cursor, one row at a time, in row-id
 * order, {@value #FETCH_SIZE} rows per round trip where the driver fetches in batches. The dialect decides
 * whether the cursor needs a read-only transaction ({@link Dialect#streamRows}): PostgreSQL's driver streams
 * only inside one, while SQLite's transactions begin {@code IMMEDIATE} and would hold the write lock for the
 * whole export.
 */
@Repository
class ExportStore {

    /** Rows the PostgreSQL driver fetches per round trip. */
    static final int FETCH_SIZE = 1000;

    private final JdbcTemplate jdbc;
    private final Dialect dialect;
    private final TransactionTemplate readOnly;

    ExportStore(JdbcTemplate jdbc, Dialect dialect, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** Receives the exported records, values in field order. */
    @FunctionalInterface
    interface RecordSink {
        void accept(List<Object> values) throws IOException;
    }

    /**
     * Streams the records whose {@code filter} columns equal the typed values (a null value: the column is
     * empty) to {@code sink}, with the {@code fields} columns; answers how many.
     */
    long stream(Dataset dataset, List<Column> fields, Map<Column, Object> filter, RecordSink sink) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < fields.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(DatasetStore.quote(fields.get(i).name()));
        }
        sql.append(" FROM ").append(DatasetStore.quote(dataset.tableName()));
        List<Object> params = new ArrayList<>();
        String glue = " WHERE ";
        for (Map.Entry<Column, Object> condition : filter.entrySet()) {
            sql.append(glue).append(DatasetStore.quote(condition.getKey().name()));
            if (condition.getValue() == null) {
                sql.append(" IS NULL");
            } else {
                sql.append(" = ?");
                params.add(dialect.toSql(condition.getKey().type(), condition.getValue()));
            }
            glue = " AND ";
        }
        sql.append(" ORDER BY ").append(DatasetStore.ROW_ID);
        PreparedStatementCreator statement = connection -> {
            PreparedStatement ps = connection.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(FETCH_SIZE);
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return ps;
        };
        long[] count = {0};
        Object[] row = new Object[fields.size()];
        List<Object> values = Arrays.asList(row);
        RowCallbackHandler handler = rs -> {
            for (int i = 0; i < row.length; i++) {
                row[i] = dialect.fromSql(fields.get(i), rs, fields.get(i).name());
            }
            try {
                sink.accept(values);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count[0]++;
        };
        try {
            dialect.streamRows(readOnly, () -> jdbc.query(statement, handler));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count[0];
    }
}
