package dev.sluice.server.store;

import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.zaxxer.hikari.HikariConfig;
import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQLite, the embedded store: one file, one writer at a time. Every transaction begins {@code IMMEDIATE}, so it
 * holds the write lock from its first statement and writers queue on the busy timeout instead of failing on a
 * lock upgrade; that lock is also what serialises builders ({@link #lockUntilCommit} has nothing to add).
 * SQLite has no exact decimal, date or timestamp type: those are stored as canonical text (ISO-8601, UTC),
 * booleans as 0/1, so values compare and round-trip exactly. Its connections keep their prepared statements
 * ({@link SqliteStatementCache}); PostgreSQL's driver keeps its own.
 */
final class SqliteDialect implements Dialect {

    /** How long an SQLite writer waits for the lock before giving up, in milliseconds. */
    static final int BUSY_TIMEOUT_MS = 30_000;

    /** Rows per JDBC batch when bulk loading, about. */
    static final int BATCH_ROWS = 1_000;

    /** Rows per INSERT statement when bulk loading (10 to 200 measured alike; 1 is a third slower). */
    static final int ROWS_PER_INSERT = 50;

    /** The most parameters one SQLite statement takes (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
    static final int MAX_VARIABLES = 32_766;

    private static final String TABLE_EXISTS = """
            SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name
            """;

    SqliteDialect() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public void connect(HikariConfig config, Path dataDir, String url, String username, String password) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
        SqliteNativeLibrary.keepIn(dir);
        Properties settings = new Properties();
        // IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue on the
        // busy timeout instead of one failing with SQLITE_BUSY on a lock upgrade.
        settings.setProperty("journal_mode", "WAL");
        settings.setProperty("synchronous", "NORMAL");
        settings.setProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MS));
        settings.setProperty("transaction_mode", "IMMEDIATE");
        settings.setProperty("foreign_keys", "true");
        config.setDataSource(SqliteStatementCache.dataSource("jdbc:sqlite:" + dir.resolve("sluice.db"), settings));
        config.setExceptionOverride(new SqliteBrokenConnections());
    }

    @Override
    public void configureScheduler(SchedulerBuilder scheduler) {
        scheduler.jdbcCustomization(new SqliteTaskCustomization());
    }

    @Override
    public String sqlType(ColumnType type) {
        return switch (type) {
            case STRING, EMAIL -> "TEXT";
            case INTEGER -> "INTEGER";
            // no exact decimal type: the canonical text keeps every digit
            case DECIMAL -> "TEXT";
            case BOOLEAN -> "INTEGER";
            case DATE -> "TEXT";
            case TIMESTAMP -> "TEXT";
        };
    }

    @Override
    public String identityColumn(String name) {
        return name + " INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public String createScratchTable() {
        return "CREATE TABLE ";
    }

    @Override
    public String tableExistsQuery() {
        return TABLE_EXISTS;
    }

    @Override
    public Object toSql(ColumnType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case STRING, EMAIL, INTEGER -> value;
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case BOOLEAN -> ((Boolean) value) ? 1 : 0;
            case DATE -> value.toString();
            case TIMESTAMP -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC));
        };
    }

    @Override
    public Object fromSql(Column column, ResultSet rs, String label) throws SQLException {
        ColumnType type = column.type();
        Object value = switch (type) {
            case STRING, EMAIL, DATE, TIMESTAMP, DECIMAL -> rs.getString(label);
            case INTEGER -> rs.getLong(label);
            case BOOLEAN -> rs.getInt(label) != 0;
        };
        if (rs.wasNull() || value == null) {
            return null;
        }
        return switch (type) {
            case DECIMAL -> new BigDecimal((String) value);
            case DATE -> LocalDate.parse((String) value);
            case TIMESTAMP -> OffsetDateTime.parse((String) value).withOffsetSameInstant(ZoneOffset.UTC);
            default -> value;
        };
    }

    /**
     * Prepared inserts of {@value #ROWS_PER_INSERT} rows each (fewer when the columns would pass SQLite's
     * {@value #MAX_VARIABLES} variables), about {@value #BATCH_ROWS} rows to a JDBC batch, on the transaction's
     * connection; the rows left over at the end go in one by one, after the others, so rows keep their order. Several
     * rows per statement save the per-statement work of the driver and SQLite (a million rows of 8 columns: about
     * 1.7 s instead of 2.4 s). The canonical text is bound as it is where it is already the stored form (text,
     * decimals, dates); integers and booleans are bound as numbers, and timestamps are parsed and stored in UTC.
     */
    @Override
    public long bulkLoad(JdbcTemplate jdbc, DataSource dataSource, String table, List<String> columns,
            List<ColumnType> types, TextRows rows) throws IOException {
        int width = columns.size();
        int perInsert = Math.max(1, Math.min(ROWS_PER_INSERT, MAX_VARIABLES / width));
        String values = "(?" + ", ?".repeat(width - 1) + ")";
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        ColumnType[] typeOf = types.toArray(ColumnType[]::new);
        List<List<String>> group = new ArrayList<>(perInsert);
        long[] count = {0};
        Connection connection = DataSourceUtils.getConnection(dataSource);
        String manyValues = (values + ", ").repeat(perInsert - 1) + values;
        try (PreparedStatement many = connection.prepareStatement(insert + manyValues);
             PreparedStatement one = connection.prepareStatement(insert + values)) {
            int statementsPerBatch = Math.max(1, BATCH_ROWS / perInsert);
            long[] batched = {0};
            rows.forEach(row -> {
                group.add(row);
                count[0]++;
                if (group.size() == perInsert) {
                    try {
                        bindRows(many, group, typeOf);
                        many.addBatch();
                        if (++batched[0] % statementsPerBatch == 0) {
                            many.executeBatch();
                        }
                    } catch (SQLException e) {
                        throw new UncheckedSqlException(e);
                    }
                    group.clear();
                }
            });
            if (batched[0] % statementsPerBatch != 0) {
                many.executeBatch();
            }
            for (List<String> row : group) {
                bindRows(one, List.of(row), typeOf);
                one.addBatch();
            }
            if (!group.isEmpty()) {
                one.executeBatch();
            }
        } catch (UncheckedSqlException e) {
            throw new IOException("inserting into " + table + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (SQLException e) {
            throw new IOException("inserting into " + table + " failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        return count[0];
    }

    /** Binds {@code rows} one after the other to the statement's parameters, from the first. */
    private void bindRows(PreparedStatement insert, List<List<String>> rows, ColumnType[] typeOf)
            throws SQLException {
        int index = 1;
        for (List<String> row : rows) {
            for (int c = 0; c < typeOf.length; c++) {
                bindCanonical(insert, index++, typeOf[c], row.get(c));
            }
        }
    }

    /** Binds one canonical text value as the stored form of its type ({@link #toSql}). */
    private void bindCanonical(PreparedStatement insert, int index, ColumnType type, String text) throws SQLException {
        if (text == null) {
            insert.setNull(index, Types.NULL);
            return;
        }
        switch (type) {
            case STRING, EMAIL, DECIMAL, DATE -> insert.setString(index, text);
            case INTEGER -> insert.setLong(index, Long.parseLong(text));
            case BOOLEAN -> insert.setInt(index, Boolean.parseBoolean(text) ? 1 : 0);
            case TIMESTAMP -> insert.setString(index, (String) toSql(type, type.parse(text)));
        }
    }

    /** Carries an SQL failure out of a row callback that may not throw it. */
    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }
    }

    /** Nothing to do: Sluice keeps no planner statistics on SQLite (it never runs {@code ANALYZE} there). */
    @Override
    public void analyze(JdbcTemplate jdbc, String table) {
    }

    /** Nothing to do: the transaction took the database's only write lock when it began ({@code IMMEDIATE}). */
    @Override
    public void lockUntilCommit(JdbcClient jdbc, String name) {
    }

    /**
     * Runs the query without a transaction: SQLite steps its cursor natively, and ours begin {@code IMMEDIATE}
     * and would hold the write lock for the whole read.
     */
    @Override
    public void streamRows(TransactionTemplate readOnly, Runnable query) {
        query.run();
    }
}
