package dev.sluice.server.store;

import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.zaxxer.hikari.HikariConfig;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PostgreSQL, the store several nodes share: native column types, {@code COPY} for bulk loads, unlogged
 * scratch tables, transaction-scoped advisory locks, and due tasks claimed with {@code FOR UPDATE SKIP LOCKED}.
 */
final class PostgresDialect implements Dialect {

    private static final int COPY_BUFFER_BYTES = 1 << 16;

    private static final String TABLE_EXISTS = """
            SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = :name
            """;

    private static final String LOCK = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked";

    PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public void connect(HikariConfig config, Path dataDir, String url, String username, String password) {
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
    }

    @Override
    public void configureScheduler(SchedulerBuilder scheduler) {
        // One statement claims due tasks with FOR UPDATE SKIP LOCKED, so nodes never contend.
        scheduler.alwaysPersistTimestampInUTC().pollUsingLockAndFetch(0.5, 1.0);
    }

    @Override
    public String sqlType(ColumnType type) {
        return switch (type) {
            case STRING, EMAIL -> "TEXT";
            case INTEGER -> "BIGINT";
            case DECIMAL -> "NUMERIC";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMPTZ";
        };
    }

    @Override
    public String identityColumn(String name) {
        return name + " BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    }

    /** Unlogged: the rows live only inside one transaction, so WAL for them is wasted work. */
    @Override
    public String createScratchTable() {
        return "CREATE UNLOGGED TABLE ";
    }

    @Override
    public String tableExistsQuery() {
        return TABLE_EXISTS;
    }

    /** Values bind as they are: the driver maps Java types to the native column types. */
    @Override
    public Object toSql(ColumnType type, Object value) {
        return value;
    }

    @Override
    public Object fromSql(Column column, ResultSet rs, String label) throws SQLException {
        Object value = switch (column.type()) {
            case STRING, EMAIL -> rs.getString(label);
            case INTEGER -> rs.getLong(label);
            case DECIMAL -> rs.getBigDecimal(label);
            case BOOLEAN -> rs.getBoolean(label);
            case DATE -> rs.getObject(label, LocalDate.class);
            case TIMESTAMP -> rs.getObject(label, OffsetDateTime.class);
        };
        if (rs.wasNull() || value == null) {
            return null;
        }
        return value instanceof OffsetDateTime timestamp ? timestamp.withOffsetSameInstant(ZoneOffset.UTC) : value;
    }

    /** {@code COPY ... FROM STDIN} in CSV, on the transaction's own connection, so it commits with it. */
    @Override
    public long bulkLoad(JdbcTemplate jdbc, DataSource dataSource, String table, List<String> columns,
            List<ColumnType> types, TextRows rows) throws IOException {
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)";
        Connection connection = DataSourceUtils.getConnection(dataSource);
        long[] count = {0};
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            try (OutputStream out = new PGCopyOutputStream(pg, sql, COPY_BUFFER_BYTES);
                 CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
                         .build(out, StandardCharsets.UTF_8)) {
                try {
                    rows.forEach(row -> {
                        csv.writeRecord(row);
                        count[0]++;
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        } catch (SQLException e) {
            throw new IOException("COPY into " + table + " failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        return count[0];
    }

    @Override
    public void analyze(JdbcTemplate jdbc, String table) {
        jdbc.execute("ANALYZE " + table);
    }

    /** A transaction-scoped advisory lock keyed by a 64-bit hash of the name, released at commit or rollback. */
    @Override
    public void lockUntilCommit(JdbcClient jdbc, String name) {
        jdbc.sql(LOCK).param("key", lockKey(name)).query(Integer.class).single();
    }

    /**
     * Runs the query in a read-only transaction: the driver fetches rows in batches of the statement's fetch
     * size only with autocommit off (otherwise it reads the whole result into memory), and a read-only
     * transaction takes no lock that writers wait for.
     */
    @Override
    public void streamRows(TransactionTemplate readOnly, Runnable query) {
        readOnly.executeWithoutResult(status -> query.run());
    }

    /** A stable 64-bit advisory lock key for a name (FNV-1a). */
    static long lockKey(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
