package dev.sluice.server.append;

import static dev.sluice.server.dataset.DatasetStore.ROW_ID;
import static dev.sluice.server.dataset.DatasetStore.quote;

import dev.sluice.core.append.MatchKey;
import dev.sluice.core.dataset.Column;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetValues;
import dev.sluice.server.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL of the match index of one append batch: a table {@code apx_<batch id>} mapping the digest of each
 * dataset record's normalised match key to the record's {@code sluice_id}. Normalisation is Java, so the
 * database cannot index it; the table is built once per batch by streaming the dataset, then each chunk
 * looks its keys up in batches joined to the dataset for current values.
 *
 * <p>The build goes in steps of about {@link #STEP} (pages read until it is over), one transaction each, into a table
 * {@code apx_<batch id>_b} beside a one-row table {@code apx_<batch id>_p} holding the last row id taken; the
 * step that reads the dataset's end renames the first to {@code apx_<batch id>}, so the index exists only
 * complete. One transaction for the whole build held SQLite's only write lock for as long as the dataset took to
 * read (over 30 s for 4.5 million records): every other writer, the task engine's heartbeats among them, gave up
 * waiting. Steps are serialised ({@link Dialect#lockUntilCommit} on the table name: SQLite's transaction takes
 * the write lock when it begins; PostgreSQL takes a transaction-scoped advisory lock), and each reads the
 * progress after taking the lock, so chunks that ask at the same time share the build and no record is taken
 * twice. A worker dying half-way rolls back its step only; the next attempt goes on from the last committed step.
 */
@Repository
class AppendIndexStore {

    /** Dataset records read per page while building, and keys per lookup statement (bound parameters). */
    static final int PAGE_SIZE = 2_000;
    /**
     * How long one build step (one transaction) goes on reading pages before it commits: well within the busy
     * timeout and a heartbeat; steps of 20,000 records (about 0.8 s each) made a 4.5M-record build three times
     * slower.
     */
    static final Duration STEP = Duration.ofSeconds(2);
    static final int LOOKUP_BATCH = 500;
    /** Index rows per multi-row INSERT: two parameters each, well under SQLite's limit. */
    static final int INSERT_BATCH = 400;

    private static final String CREATE = """
            CREATE TABLE %s (norm_key TEXT NOT NULL, sluice_id BIGINT NOT NULL, PRIMARY KEY (norm_key, sluice_id))
            """;
    private static final String CREATE_PROGRESS = "CREATE TABLE %s (after_id BIGINT NOT NULL)";

    private static final String PAGE = "SELECT %s, %s FROM %s WHERE %s > :after ORDER BY %s LIMIT :limit";

    private static final String LOOKUP = """
            SELECT x.norm_key AS apx_norm_key, d.%s AS apx_row_id, %s
            FROM %s x JOIN %s d ON d.%s = x.sluice_id
            WHERE x.norm_key IN (:keys)
            ORDER BY d.%s
            """;

    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final TransactionTemplate tx;

    AppendIndexStore(JdbcClient jdbc, Dialect dialect, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tx = tx;
    }

    /** A dataset record found for a key: its row id, its match column values and its field values as text. */
    record Candidate(long rowId, List<String> match, List<String> fields) {
    }

    /** The index table of a batch; batch ids are generated, lower-cased they are safe identifiers. */
    static String tableName(String batchId) {
        return "apx_" + batchId.toLowerCase(Locale.ROOT);
    }

    /** Builds the batch's index unless it exists; repeatable, and safe to call from many chunks at once. */
    void ensureIndex(String table, Dataset dataset, List<String> match, MatchKey key) {
        ensureIndex(table, dataset, match, key::digest, PAGE_SIZE, STEP);
    }

    /** {@link #ensureIndex(String, Dataset, List, MatchKey)} with the digest, page size and step given (tests). */
    void ensureIndex(String table, Dataset dataset, List<String> match, Function<List<String>, String> digest,
            int pageSize, Duration step) {
        while (!exists(table)) {
            tx.executeWithoutResult(status -> {
                dialect.lockUntilCommit(jdbc, table);
                if (!exists(table)) {
                    step(table, dataset, match, digest, pageSize, step);
                }
            });
        }
    }

    /**
     * One step of the build: pages of the dataset after the last row id taken, in row-id order, each record's key
     * digest inserted, until {@code step} is over (at least one page); the step that reaches the end makes the index.
     */
    private void step(String table, Dataset dataset, List<String> match, Function<List<String>, String> digest,
            int pageSize, Duration step) {
        String building = building(table);
        String progress = progress(table);
        if (!exists(building)) {
            jdbc.sql(CREATE.formatted(quote(building))).update();
            jdbc.sql(CREATE_PROGRESS.formatted(quote(progress))).update();
            jdbc.sql("INSERT INTO " + quote(progress) + " (after_id) VALUES (0)").update();
        }
        long after = jdbc.sql("SELECT after_id FROM " + quote(progress)).query(Long.class).single();
        List<Column> columns = columns(dataset, match);
        String page = PAGE.formatted(ROW_ID, columnList(columns), quote(dataset.tableName()), ROW_ID, ROW_ID);
        long stepEnds = System.nanoTime() + step.toNanos();
        // at least one page a step, so that a slow page still makes progress
        for (int pages = 0; pages == 0 || System.nanoTime() < stepEnds; pages++) {
            List<Object[]> rows = jdbc.sql(page).param("after", after).param("limit", pageSize)
                    .query((rs, n) -> new Object[]{digest.apply(texts(rs, columns)), rs.getLong(ROW_ID)}).list();
            for (int from = 0; from < rows.size(); from += INSERT_BATCH) {
                insert(building, rows.subList(from, Math.min(rows.size(), from + INSERT_BATCH)));
            }
            if (rows.size() < pageSize) {
                jdbc.sql("DROP TABLE " + quote(progress)).update();
                jdbc.sql("ALTER TABLE " + quote(building) + " RENAME TO " + quote(table)).update();
                return;
            }
            after = (Long) rows.getLast()[1];
        }
        jdbc.sql("UPDATE " + quote(progress) + " SET after_id = :after").param("after", after).update();
    }

    private static String building(String table) {
        return table + "_b";
    }

    private static String progress(String table) {
        return table + "_p";
    }

    private void insert(String table, List<Object[]> rows) {
        // A dataset key can normalise like another one (JOHN / John); both rows stay candidates.
        String values = rows.stream().map(r -> "(?, ?)").collect(Collectors.joining(", "));
        List<Object> params = new ArrayList<>(rows.size() * 2);
        for (Object[] row : rows) {
            params.add(row[0]);
            params.add(row[1]);
        }
        jdbc.sql("INSERT INTO " + quote(table) + " (norm_key, sluice_id) VALUES " + values).params(params).update();
    }

    /**
     * The dataset records of these key digests, by digest, each list in row-id order, with the current
     * values of the match columns and the fields.
     */
    Map<String, List<Candidate>> lookup(String table, Dataset dataset, List<String> match, List<String> fields,
            Collection<String> digests) {
        List<Column> matchColumns = columns(dataset, match);
        List<Column> fieldColumns = columns(dataset, fields);
        LinkedHashSet<Column> selected = new LinkedHashSet<>(matchColumns);
        selected.addAll(fieldColumns);
        String select = selected.stream().map(c -> "d." + quote(c.name())).collect(Collectors.joining(", "));
        String sql = LOOKUP.formatted(ROW_ID, select, quote(table), quote(dataset.tableName()), ROW_ID, ROW_ID);
        Map<String, List<Candidate>> found = new LinkedHashMap<>();
        List<String> all = List.copyOf(digests);
        for (int from = 0; from < all.size(); from += LOOKUP_BATCH) {
            List<String> keys = all.subList(from, Math.min(all.size(), from + LOOKUP_BATCH));
            jdbc.sql(sql).param("keys", keys).query((ResultSet rs) -> {
                found.computeIfAbsent(rs.getString("apx_norm_key"), k -> new ArrayList<>()).add(new Candidate(
                        rs.getLong("apx_row_id"), texts(rs, matchColumns), texts(rs, fieldColumns)));
            });
        }
        return found;
    }

    /** Drops the batch's index, or what a build left of it; nothing happens when there is none. */
    void drop(String table) {
        for (String name : List.of(table, building(table), progress(table))) {
            jdbc.sql("DROP TABLE IF EXISTS " + quote(name)).update();
        }
    }

    boolean exists(String table) {
        return jdbc.sql(dialect.tableExistsQuery()).param("name", table).query(Long.class).single() > 0;
    }

    private List<String> texts(ResultSet rs, List<Column> columns) throws SQLException {
        List<String> values = new ArrayList<>(columns.size());
        for (Column column : columns) {
            Object value = DatasetValues.toJson(dialect.fromSql(column, rs, column.name()));
            values.add(value == null ? "" : String.valueOf(value));
        }
        return values;
    }

    private static List<Column> columns(Dataset dataset, List<String> names) {
        return names.stream().map(n -> dataset.schema().column(n).orElseThrow(() -> new IllegalStateException(
                "column '" + n + "' is no longer in dataset " + dataset.name()))).toList();
    }

    private static String columnList(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }
}
