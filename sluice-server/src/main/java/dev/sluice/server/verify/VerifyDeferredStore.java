package dev.sluice.server.verify;

import dev.sluice.core.result.PartPatches;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Addresses of verify batches put aside after a "try again later" answer, until a later attempt settles
 * them ({@code verify_deferred}). A row is {@code waiting} (with the attempt it is at and when it is due) or
 * {@code settled} (with its result row rendered, to patch into its chunk's part at assembly). Every move of a
 * row is a compare-and-set on its status and attempt, so two retry tasks never both settle one address. A copy of
 * such an address ({@code copy_of}: its first row) waits too, without a due time: it is never asked, and settles
 * with its first row's final verdict (kept with that row) once that row is settled and the copy's chunk is done.
 */
@Component
class VerifyDeferredStore {

    private static final TypeReference<List<String>> FIELDS = new TypeReference<>() {
    };

    private static final TypeReference<List<Object>> VERDICT = new TypeReference<>() {
    };

    private static final String DELETE_CHUNK = """
            DELETE FROM verify_deferred WHERE batch_id = :batch_id AND chunk_index = :chunk_index
            """;

    private static final String COUNT_CHUNK = """
            SELECT COUNT(*) FROM verify_deferred WHERE batch_id = :batch_id AND chunk_index = :chunk_index
            """;

    private static final String INSERT = """
            INSERT INTO verify_deferred (batch_id, row_number, job_id, chunk_index, cell, fields_json, part_start,
                part_end, attempt, due_at, status, copy_of)
            VALUES (:batch_id, :row_number, :job_id, :chunk_index, :cell, :fields_json, :part_start, :part_end, 0,
                :due_at, 'waiting', :copy_of)
            """;

    /** Waiting rows due by now whose chunk is done: a chunk not committed yet may still be run again. */
    private static final String SELECT_DUE = """
            SELECT row_number, chunk_index, cell, fields_json, attempt, due_at FROM verify_deferred d
            WHERE d.batch_id = :batch_id AND d.status = 'waiting' AND d.copy_of IS NULL AND d.due_at <= :now
              AND EXISTS (SELECT 1 FROM chunks c WHERE c.batch_id = d.batch_id AND c.idx = d.chunk_index
                          AND c.status = 'done')
            ORDER BY row_number
            """;

    private static final String COUNT_WAITING_DUE = """
            SELECT COUNT(*) FROM verify_deferred
            WHERE batch_id = :batch_id AND status = 'waiting' AND due_at <= :now
            """;

    private static final String CLAIM = """
            UPDATE verify_deferred SET due_at = :lease
            WHERE batch_id = :batch_id AND row_number = :row_number AND status = 'waiting' AND attempt = :attempt
              AND due_at = :due_at
            """;

    private static final String RESCHEDULE = """
            UPDATE verify_deferred SET attempt = attempt + 1, due_at = :due_at
            WHERE batch_id = :batch_id AND row_number = :row_number AND status = 'waiting' AND attempt = :attempt
            """;

    private static final String SETTLE = """
            UPDATE verify_deferred SET status = 'settled', attempt = attempt + 1, due_at = NULL, row_text = :row_text,
                verdict_json = :verdict_json
            WHERE batch_id = :batch_id AND row_number = :row_number AND status = 'waiting' AND attempt = :attempt
            """;

    /** Waiting copies whose first row is settled, with that row's verdict and chunk. */
    private static final String COPIES_OF_SETTLED = """
            SELECT d.row_number, d.chunk_index, d.fields_json, d.copy_of, f.chunk_index AS first_chunk,
                f.verdict_json
            FROM verify_deferred d JOIN verify_deferred f ON f.batch_id = d.batch_id AND f.row_number = d.copy_of
            WHERE d.batch_id = :batch_id AND d.status = 'waiting' AND f.status = 'settled'
            """;

    private static final String CHUNK_DONE = """
              AND EXISTS (SELECT 1 FROM chunks c WHERE c.batch_id = d.batch_id AND c.idx = d.chunk_index
                          AND c.status = 'done')
            ORDER BY d.row_number
            """;

    private static final String SETTLE_COPY = """
            UPDATE verify_deferred SET status = 'settled', row_text = :row_text
            WHERE batch_id = :batch_id AND row_number = :row_number AND status = 'waiting' AND copy_of IS NOT NULL
            """;

    private static final String SELECT_SETTLED = """
            SELECT chunk_index, part_start, part_end, row_text FROM verify_deferred
            WHERE batch_id = :batch_id AND status = 'settled'
            ORDER BY chunk_index, part_start
            """;

    /** The final verdicts of settled first rows (copies have their own rows and are settled in place). */
    private static final String SELECT_SETTLED_VERDICTS = """
            SELECT row_number, verdict_json FROM verify_deferred
            WHERE batch_id = :batch_id AND status = 'settled' AND copy_of IS NULL AND verdict_json IS NOT NULL
            """;

    private static final String NEXT_DUE_OF_BATCH = """
            SELECT MIN(due_at) FROM verify_deferred WHERE batch_id = :id AND status = 'waiting'
            """;

    private static final String NEXT_DUE_OF_JOB = """
            SELECT MIN(due_at) FROM verify_deferred WHERE job_id = :id AND status = 'waiting'
            """;

    private static final String DELETE_BATCH = "DELETE FROM verify_deferred WHERE batch_id = :batch_id";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    VerifyDeferredStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * An address put aside: its result row's place in its chunk's part, and its record's cells; {@code copyOf} is
     * its first row when it is a copy written with that row's verdict, else 0.
     */
    record Aside(long row, String cell, List<String> fields, long partStart, long partEnd, long copyOf) {
    }

    /** A waiting copy whose first row is settled with {@code verdict}, in chunk {@code firstChunk}. */
    record ReadyCopy(long row, int chunkIndex, List<String> fields, long copyOf, int firstChunk, Verdict verdict) {
    }

    /** A waiting address due at {@code dueAt} for its next attempt ({@code attempt} later attempts made so far). */
    record Due(long row, int chunkIndex, String cell, List<String> fields, int attempt, long dueAt) {
    }

    /**
     * Replaces the rows of one chunk with {@code rows}, all waiting for their first later attempt at
     * {@code dueAt}: a chunk run again after a crash leaves no row of its earlier run.
     */
    void replaceChunk(String batchId, String jobId, int chunkIndex, List<Aside> rows, Instant dueAt) {
        jdbc.sql(DELETE_CHUNK).param("batch_id", batchId).param("chunk_index", chunkIndex).update();
        for (Aside row : rows) {
            jdbc.sql(INSERT)
                    .param("batch_id", batchId)
                    .param("row_number", row.row())
                    .param("job_id", jobId)
                    .param("chunk_index", chunkIndex)
                    .param("cell", row.cell())
                    .param("fields_json", json.writeValueAsString(row.fields()))
                    .param("part_start", row.partStart())
                    .param("part_end", row.partEnd())
                    .param("due_at", row.copyOf() == 0 ? dueAt.toEpochMilli() : null, Types.BIGINT)
                    .param("copy_of", row.copyOf() == 0 ? null : row.copyOf(), Types.BIGINT)
                    .update();
        }
    }

    /** Whether an earlier run of the chunk put addresses aside: a read, so a chunk without any writes nothing. */
    boolean hasChunk(String batchId, int chunkIndex) {
        return jdbc.sql(COUNT_CHUNK).param("batch_id", batchId).param("chunk_index", chunkIndex).query(Long.class)
                .single() > 0;
    }

    /** The batch's waiting addresses due by {@code now} whose chunk is committed, in row order. */
    List<Due> due(String batchId, Instant now) {
        return jdbc.sql(SELECT_DUE).param("batch_id", batchId).param("now", now.toEpochMilli())
                .query((rs, n) -> new Due(rs.getLong("row_number"), rs.getInt("chunk_index"), rs.getString("cell"),
                        json.readValue(rs.getString("fields_json"), FIELDS), rs.getInt("attempt"),
                        rs.getLong("due_at")))
                .list();
    }

    /**
     * Takes a due address for one task's attempt: it is not due again before {@code lease} (unless settled or
     * rescheduled first), so a task running at the same time leaves it alone. False when another task took it.
     */
    boolean claim(String batchId, Due row, Instant lease) {
        return jdbc.sql(CLAIM).param("batch_id", batchId).param("row_number", row.row())
                .param("attempt", row.attempt()).param("due_at", row.dueAt()).param("lease", lease.toEpochMilli())
                .update() == 1;
    }

    /** How many of the batch's waiting addresses are due by {@code now}, committed chunk or not. */
    long waitingDue(String batchId, Instant now) {
        return jdbc.sql(COUNT_WAITING_DUE).param("batch_id", batchId).param("now", now.toEpochMilli())
                .query(Long.class).single();
    }

    /** Moves a waiting address to its next attempt at {@code dueAt}; false when another task moved it first. */
    boolean reschedule(String batchId, Due row, Instant dueAt) {
        return jdbc.sql(RESCHEDULE).param("batch_id", batchId).param("row_number", row.row())
                .param("attempt", row.attempt()).param("due_at", dueAt.toEpochMilli()).update() == 1;
    }

    /**
     * Settles a waiting address with its result row and final verdict (its copies settle with it); false when
     * another task moved it first.
     */
    boolean settle(String batchId, Due row, byte[] rowBytes, Verdict verdict) {
        return jdbc.sql(SETTLE).param("batch_id", batchId).param("row_number", row.row())
                .param("attempt", row.attempt()).param("row_text", new String(rowBytes, StandardCharsets.UTF_8))
                .param("verdict_json", json.writeValueAsString(encode(verdict))).update() == 1;
    }

    /** The batch's waiting copies whose first row is settled and whose own chunk is done, in row order. */
    List<ReadyCopy> readyCopies(String batchId) {
        return jdbc.sql(COPIES_OF_SETTLED + CHUNK_DONE).param("batch_id", batchId)
                .query((rs, n) -> new ReadyCopy(rs.getLong("row_number"), rs.getInt("chunk_index"),
                        json.readValue(rs.getString("fields_json"), FIELDS), rs.getLong("copy_of"),
                        rs.getInt("first_chunk"), decode(json.readValue(rs.getString("verdict_json"), VERDICT))))
                .list();
    }

    /** Whether waiting copies of the batch could settle but for their chunk, not committed yet. */
    boolean copiesAwaitChunk(String batchId) {
        return !jdbc.sql(COPIES_OF_SETTLED).param("batch_id", batchId).query((rs, n) -> 1).list().isEmpty();
    }

    /** Settles a waiting copy with its result row; false when another task settled it first. */
    boolean settleCopy(String batchId, ReadyCopy copy, byte[] rowBytes) {
        return jdbc.sql(SETTLE_COPY).param("batch_id", batchId).param("row_number", copy.row())
                .param("row_text", new String(rowBytes, StandardCharsets.UTF_8)).update() == 1;
    }

    /** A verdict as a JSON array: its fields in record order, enums by name. */
    private static List<Object> encode(Verdict v) {
        return Arrays.asList(v.status().name(), v.reason().name(), v.normalized(), v.role(), v.disposable(),
                v.free(), v.suggestion(), v.cached(), v.provider());
    }

    private static Verdict decode(List<Object> f) {
        return new Verdict(VerdictStatus.valueOf((String) f.get(0)), Reason.valueOf((String) f.get(1)),
                (String) f.get(2), (Boolean) f.get(3), (Boolean) f.get(4), (Boolean) f.get(5), (String) f.get(6),
                (Boolean) f.get(7), (String) f.get(8));
    }

    /** The settled rows of the batch as patches of their chunk's part, by chunk index. */
    Map<Integer, List<PartPatches.Patch>> patches(String batchId) {
        Map<Integer, List<PartPatches.Patch>> byChunk = new LinkedHashMap<>();
        jdbc.sql(SELECT_SETTLED).param("batch_id", batchId).query((ResultSet rs) -> {
            byChunk.computeIfAbsent(rs.getInt("chunk_index"), i -> new ArrayList<>())
                    .add(new PartPatches.Patch(rs.getLong("part_start"), rs.getLong("part_end"),
                            rs.getString("row_text").getBytes(StandardCharsets.UTF_8)));
        });
        return byChunk;
    }

    /** The final verdicts of the batch's settled addresses (not copies), by row. */
    Map<Long, Verdict> settledVerdicts(String batchId) {
        Map<Long, Verdict> verdicts = new HashMap<>();
        jdbc.sql(SELECT_SETTLED_VERDICTS).param("batch_id", batchId).query((ResultSet rs) -> {
            verdicts.put(rs.getLong("row_number"), decode(json.readValue(rs.getString("verdict_json"), VERDICT)));
        });
        return verdicts;
    }

    /** When the batch's next later attempt is due; empty when none of its addresses waits. */
    Optional<Instant> nextRetryOfBatch(String batchId) {
        return nextRetry(NEXT_DUE_OF_BATCH, batchId);
    }

    /** When the next later attempt of any batch of the job is due; empty when none waits. */
    Optional<Instant> nextRetryOfJob(String jobId) {
        return nextRetry(NEXT_DUE_OF_JOB, jobId);
    }

    private Optional<Instant> nextRetry(String sql, String id) {
        // MIN over no row is one row holding NULL
        List<Instant> found = jdbc.sql(sql).param("id", id).query((ResultSet rs, int n) -> millis(rs)).list();
        return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.get(0));
    }

    private static Instant millis(ResultSet rs) throws SQLException {
        long value = rs.getLong(1);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    /** Removes every row of the batch: it completed, was cancelled, or its job or retention ended. */
    void deleteBatch(String batchId) {
        jdbc.sql(DELETE_BATCH).param("batch_id", batchId).update();
    }
}
