package dev.sluice.server.store;

import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.zaxxer.hikari.HikariConfig;
import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL databases Sluice runs on, one class each holding everything that differs between them (as
 * db-scheduler's {@code JdbcCustomization} does): connection settings, migration folders, column types,
 * value mapping, bulk loading, locking and the task scheduler's queries. Stores, services and workers ask
 * their {@code Dialect} and never test which one it is; SQL both databases read alike stays in the stores.
 */
public sealed interface Dialect permits SqliteDialect, PostgresDialect {

    /** An SQLite file, the embedded default. */
    Dialect SQLITE = new SqliteDialect();

    /** PostgreSQL, for several nodes sharing one store. */
    Dialect POSTGRESQL = new PostgresDialect();

    /** The Flyway location of migrations that are the same, byte for byte, in every dialect. */
    String COMMON_MIGRATIONS = "classpath:db/migration/common";

    /** The dialect of {@code sluice.database.url}: empty means the embedded SQLite file. */
    static Dialect forDatabaseUrl(String url) {
        return url == null || url.isBlank() ? SQLITE : fromJdbcUrl(url);
    }

    /** The dialect of a JDBC URL. */
    static Dialect fromJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new IllegalArgumentException(
                "unsupported database URL '" + url + "': use jdbc:postgresql://host/db, or leave it empty for SQLite");
    }

    /** The dialect's name, also its migration folder under {@code db/migration}. */
    String name();

    /**
     * Where Flyway finds this dialect's migrations: the common folder, then the dialect's own folder for the
     * migrations whose text differs (same version in each dialect folder).
     */
    default List<String> migrationLocations() {
        return List.of(COMMON_MIGRATIONS, "classpath:db/migration/" + name());
    }

    /**
     * Points a connection pool at the store with the settings Sluice relies on. SQLite uses the file
     * {@code sluice.db} in {@code dataDir}; PostgreSQL the configured URL, user and password.
     */
    void connect(HikariConfig config, Path dataDir, String url, String username, String password);

    /** The task scheduler's settings for this database (how due tasks are claimed and limited). */
    void configureScheduler(SchedulerBuilder scheduler);

    /** The SQL type storing values of a dataset column type (see {@link #toSql} for the values). */
    String sqlType(ColumnType type);

    /** The definition of an auto-numbered primary key column. */
    String identityColumn(String name);

    /** The start of the DDL of a table whose rows live only inside one transaction, up to the table name. */
    String createScratchTable();

    /** A query counting the tables named by the parameter {@code :name} in the current schema (0 or 1). */
    String tableExistsQuery();

    /** The JDBC parameter for a typed value of a dataset column (null stays null). */
    Object toSql(ColumnType type, Object value);

    /** The typed value of a dataset column in the current row, timestamps in UTC; null for SQL null. */
    Object fromSql(Column column, ResultSet rs, String label) throws SQLException;

    /**
     * Loads rows of canonical text values (null for null, parsed by {@code types}) into {@code columns} of
     * {@code table} (both quoted already), on the current transaction's connection; answers the rows loaded.
     */
    long bulkLoad(JdbcTemplate jdbc, DataSource dataSource, String table, List<String> columns,
            List<ColumnType> types, TextRows rows) throws IOException;

    /** Refreshes the planner's statistics of a table just loaded, where the database keeps any. */
    void analyze(JdbcTemplate jdbc, String table);

    /**
     * Serialises the transactions that take the lock of {@code name}: the second waits until the first ends.
     * Call it first in the transaction.
     */
    void lockUntilCommit(JdbcClient jdbc, String name);

    /**
     * Runs a query that reads a large result through a forward-only cursor, so that rows stream instead of
     * being read into memory all at once, without holding a lock writers wait for.
     */
    void streamRows(TransactionTemplate readOnly, Runnable query);

    /**
     * Rows of canonical text values handed to {@link #bulkLoad}, one list per row, in the order they are stored. A
     * load may keep a row's list until it ends (SQLite binds several rows at once), so each row is a list of its own.
     */
    @FunctionalInterface
    interface TextRows {
        void forEach(Consumer<List<String>> row) throws IOException;
    }
}
