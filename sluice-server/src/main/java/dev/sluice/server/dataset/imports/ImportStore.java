package dev.sluice.server.dataset.imports;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetStore;
import dev.sluice.server.store.Dialect;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

/**
 * SQL of an import's apply step, all run inside the transaction that completes the batch, under a lock of the
 * dataset: rows loaded straight into an empty dataset (undone to a savepoint when two share a key), or else a
 * staging table per batch, each bulk loaded by the dialect (COPY on PostgreSQL, batched inserts on SQLite), the
 * staging then merged into the dataset with set-based statements. Table and column names come from validated
 * schemas and batch ids and are quoted with {@link DatasetStore#quote}; values are bound or streamed, never
 * spliced.
 */
@Repository
class ImportStore {

    private static final Logger log = LoggerFactory.getLogger(ImportStore.class);

    /** The staging column holding a record's 0-based index in the file. */
    static final String ROW = "sluice_row";

    private final JdbcTemplate jdbc;
    private final JdbcClient client;
    private final DataSource dataSource;
    private final Dialect dialect;

    ImportStore(JdbcTemplate jdbc, JdbcClient client, DataSource dataSource, Dialect dialect) {
        this.jdbc = jdbc;
        this.client = client;
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Rows in canonical text, null for null: {@code [index, value of column 1, ...]} for a staging table, the values
     * alone for the dataset.
     */
    @FunctionalInterface
    interface StagedRows {
        void forEach(Consumer<List<String>> row) throws IOException;
    }

    /** What the merge did: records written, and records left out (duplicates in the file, existing keys). */
    record Merged(long completed, long ignored) {
    }

    /**
     * Makes the completions of imports into {@code dataset} wait for each other, so that what one finds in the
     * dataset stays true until it commits. Call it first in the transaction.
     */
    void lock(Dataset dataset) {
        dialect.lockUntilCommit(client, dataset.tableName());
    }

    /** Whether the dataset holds no record. */
    boolean isEmpty(Dataset dataset) {
        return jdbc.queryForList("SELECT 1 FROM " + DatasetStore.quote(dataset.tableName()) + " LIMIT 1").isEmpty();
    }

    /**
     * Tries to load rows straight into the dataset, in the order given (the dialect's bulk load): answers true
     * when every row went in. Meant for an empty dataset, so that only two rows sharing a key make it fail; on any
     * failure everything it loaded is undone (to a savepoint) and the transaction goes on, and it answers false.
     */
    boolean loadedInto(Dataset dataset, StagedRows rows) throws IOException {
        Schema schema = dataset.schema();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            Savepoint before = connection.setSavepoint();
            try {
                dialect.bulkLoad(jdbc, dataSource, DatasetStore.quote(dataset.tableName()),
                        schema.columns().stream().map(c -> DatasetStore.quote(c.name())).toList(),
                        schema.columns().stream().map(Column::type).toList(), rows::forEach);
            } catch (IOException | RuntimeException e) {
                connection.rollback(before);
                // not the message: the database's may quote a record's key
                log.info("loading straight into dataset {} failed ({}: two records share a key, or the load broke "
                        + "off); the rows go through a staging table", dataset.name(), e.getClass().getSimpleName());
                return false;
            }
            connection.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            throw new IOException("a savepoint around the load into dataset " + dataset.name() + " failed: "
                    + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Creates the staging table anew (dropping what a crashed attempt left, if anything). */
    void createStaging(String table, Schema schema) {
        dropStaging(table);
        createScratch(table, schema);
    }

    /** A table of staged rows: the record's index and the dataset's columns. */
    private void createScratch(String table, Schema schema) {
        // a scratch table: the rows live only inside this transaction (unlogged on PostgreSQL)
        StringBuilder ddl = new StringBuilder(dialect.createScratchTable())
                .append(DatasetStore.quote(table)).append(" (")
                .append(ROW).append(" BIGINT PRIMARY KEY");
        for (Column column : schema.columns()) {
            ddl.append(", ").append(DatasetStore.quote(column.name())).append(' ').append(dialect.sqlType(column.type()));
        }
        jdbc.execute(ddl.append(')').toString());
    }

    /** Drops the staging table and the table of its kept rows ({@link #merge}), either of which may be missing. */
    void dropStaging(String table) {
        jdbc.execute("DROP TABLE IF EXISTS " + DatasetStore.quote(table));
        jdbc.execute("DROP TABLE IF EXISTS " + DatasetStore.quote(keptTable(table)));
    }

    /** The staging table holding, of several rows with one key, only the one that wins. */
    private static String keptTable(String table) {
        return table + "_k";
    }

    /** Loads the staged rows (the dialect's bulk load, in the current transaction). Answers the rows loaded. */
    long load(String table, Schema schema, StagedRows rows) throws IOException {
        List<String> columns = new ArrayList<>(List.of(ROW));
        List<ColumnType> types = new ArrayList<>(List.of(ColumnType.INTEGER));
        for (Column column : schema.columns()) {
            columns.add(DatasetStore.quote(column.name()));
            types.add(column.type());
        }
        long loaded = dialect.bulkLoad(jdbc, dataSource, DatasetStore.quote(table), columns, types, rows::forEach);
        dialect.analyze(jdbc, DatasetStore.quote(table));
        return loaded;
    }

    /**
     * Merges the staged rows into the dataset and records the completed and ignored outcomes. When
     * {@code mayRepeatKeys}, of several rows with one key the last wins for update and replace and the first for
     * ignore; the others are ignored. Ignore then leaves out rows whose key exists; update sets only
     * {@code mapped} columns of existing records, replace all of them (unmapped ones to null).
     */
    Merged merge(Dataset dataset, String table, ImportType type, List<String> mapped, String batchId,
            boolean mayRepeatKeys) {
        Schema schema = dataset.schema();
        String stg = DatasetStore.quote(table);
        String target = DatasetStore.quote(dataset.tableName());
        long ignored = 0;

        if (mayRepeatKeys) {
            // The winners are copied to a table of their own rather than the others deleted: a file of a million
            // copies of a few keys then writes a few rows instead of deleting a million (about 20 s on SQLite).
            jdbc.execute("CREATE INDEX " + DatasetStore.quote("idx_" + table + "_key") + " ON " + stg + " ("
                    + DatasetStore.keyList(schema) + ", " + ROW + ")");
            String kept = DatasetStore.quote(keptTable(table));
            createScratch(keptTable(table), schema);
            String columns = ROW + ", " + DatasetStore.columnList(schema);
            jdbc.update("INSERT INTO " + kept + " (" + columns + ") SELECT " + columns + " FROM " + stg + " WHERE " + ROW
                    + " IN (SELECT " + (type == ImportType.IGNORE ? "MIN" : "MAX") + "(" + ROW + ") FROM " + stg
                    + " GROUP BY " + DatasetStore.keyList(schema) + ")");
            dialect.analyze(jdbc, kept);
            recordOutcomes(stg, Outcome.IGNORED, "NOT EXISTS (SELECT 1 FROM " + kept + " w WHERE w." + ROW + " = "
                    + stg + "." + ROW + ")", batchId);
            ignored += count(stg) - count(kept);
            stg = kept;
        }

        if (type == ImportType.IGNORE) {
            String existing = "EXISTS (SELECT 1 FROM " + target + " t WHERE " + keysEqual(schema, "t", stg) + ")";
            recordOutcomes(stg, Outcome.IGNORED, existing, batchId);
            ignored += jdbc.update("DELETE FROM " + stg + " WHERE " + existing);
        }

        String updates = schema.columns().stream().map(Column::name)
                .filter(name -> !schema.key().contains(name))
                .filter(name -> type == ImportType.REPLACE || (type == ImportType.UPDATE && mapped.contains(name)))
                .map(name -> DatasetStore.quote(name) + " = excluded." + DatasetStore.quote(name))
                .collect(Collectors.joining(", "));
        // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
        jdbc.update("INSERT INTO " + target + " (" + DatasetStore.columnList(schema) + ") SELECT "
                + DatasetStore.columnList(schema) + " FROM " + stg + " WHERE true ORDER BY " + ROW
                + " ON CONFLICT (" + DatasetStore.keyList(schema) + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates));
        recordOutcomes(stg, Outcome.COMPLETED, "true", batchId);
        return new Merged(count(stg), ignored);
    }

    private long count(String table) {
        Long rows = jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        return rows == null ? 0 : rows;
    }

    /**
     * Records {@code outcome} for the staged rows matching {@code where}, as runs of consecutive indexes: a row's
     * index minus its rank among the matching rows is the same along a run and grows at every gap.
     */
    private void recordOutcomes(String stg, Outcome outcome, String where, String batchId) {
        jdbc.update("INSERT INTO record_outcome_runs (batch_id, first_idx, last_idx, outcome, error)"
                + " SELECT CAST(? AS TEXT), MIN(r), MAX(r), '" + outcome.wire() + "', NULL FROM (SELECT " + stg + "."
                + ROW + " AS r, " + stg + "." + ROW + " - ROW_NUMBER() OVER (ORDER BY " + stg + "." + ROW + ") AS run"
                + " FROM " + stg + " WHERE " + where + ") matching GROUP BY run", batchId);
    }

    private static String keysEqual(Schema schema, String alias, String outer) {
        return schema.key().stream()
                .map(k -> alias + "." + DatasetStore.quote(k) + " = " + outer + "." + DatasetStore.quote(k))
                .collect(Collectors.joining(" AND "));
    }
}
