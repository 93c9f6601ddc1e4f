package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL for batches. Status writes are compare-and-set on {@code (id, status, version)}; losing the race
 * answers false and changes nothing.
 */
@Repository
class BatchStore {

    private static final String COLUMNS = """
            id, job_id, account_id, source, status, version, file_name, input_key, source_uri, size_bytes, sha256, upload_expires_at,
            record_limit, columns_json, key_column, charset, delimiter, records_total, records_processed, records_valid,
            records_invalid, records_accept_all, records_unknown, records_completed, records_failed, records_ignored,
            records_deferred, records_duplicates, chunks_total, chunks_done, error_code,
            error_message, result_format, result_name, result_expires_at, created_at, updated_at, started_at,
            completed_at, estimate_json
            """;

    /** A batch joins only an open job: a cancelled or deleted one takes none, whatever the caller read before. */
    private static final String INSERT = """
            INSERT INTO batches (id, job_id, account_id, source, status, version, file_name, source_uri,
                upload_expires_at, record_limit, result_format, created_at, updated_at)
            SELECT :id, :job_id, :account_id, :source, :status, 0, CAST(:file_name AS TEXT), CAST(:source_uri AS TEXT),
                CAST(:upload_expires_at AS BIGINT), :record_limit, :result_format, :now, :now
            WHERE EXISTS (SELECT 1 FROM jobs WHERE id = :job_id AND status = 'open')
            """;

    private static final String SELECT_ONE = "SELECT " + COLUMNS
            + " FROM batches WHERE account_id = :account_id AND job_id = :job_id AND id = :id";

    private static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM batches WHERE id = :id";

    private static final String SELECT_OF_JOB = "SELECT " + COLUMNS + " FROM batches WHERE job_id = :job_id ORDER BY id";

    private static final String MOVE = """
            UPDATE batches SET status = :to, version = version + 1, updated_at = :now
            WHERE id = :id AND status = :from AND version = :version
            """;

    private static final String MARK_QUEUED = """
            UPDATE batches SET status = 'queued', version = version + 1, updated_at = :now,
                file_name = COALESCE(:file_name, file_name), input_key = :input_key, size_bytes = :size_bytes,
                sha256 = :sha256
            WHERE id = :id AND status = :from AND version = :version
            """;

    private static final String MARK_LOADING = """
            UPDATE batches SET status = 'loading', version = version + 1, updated_at = :now, started_at = :now
            WHERE id = :id AND status = 'queued' AND version = :version
            """;

    private static final String MARK_LOADED = """
            UPDATE batches SET status = 'in_progress', version = version + 1, updated_at = :now,
                columns_json = :columns_json, key_column = :key_column, charset = :charset, delimiter = :delimiter,
                records_total = :records_total, chunks_total = :chunks_total
            WHERE id = :id AND status = 'loading' AND version = :version
            """;

    private static final String MARK_PROBLEM = """
            UPDATE batches SET status = :to, version = version + 1, updated_at = :now, completed_at = :now,
                error_code = :error_code, error_message = :error_message
            WHERE id = :id AND status = :from AND version = :version
            """;

    private static final String ADD_CHUNK = "UPDATE batches SET " + CounterColumns.ADD + """
            , chunks_done = chunks_done + 1, version = version + 1, updated_at = :now
            WHERE id = :id AND status = 'in_progress'
            """;

    private static final String ADD_COUNTS = "UPDATE batches SET " + CounterColumns.ADD + """
            , version = version + 1, updated_at = :now
            WHERE id = :id
            """;

    private static final String ADD_IN_PROGRESS = "UPDATE batches SET " + CounterColumns.ADD + """
            , version = version + 1, updated_at = :now
            WHERE id = :id AND status = 'in_progress'
            """;

    private static final String SET_INPUT = """
            UPDATE batches SET input_key = :input_key, size_bytes = :size_bytes, sha256 = :sha256,
                version = version + 1, updated_at = :now
            WHERE id = :id AND status = 'loading'
            """;

    /** Every batch of every account counted by status: what the {@code sluice_batches} gauge shows. */
    private static final String COUNT_BY_STATUS = "SELECT status, COUNT(*) AS n FROM batches GROUP BY status";

    private static final String MARK_COMPLETED = """
            UPDATE batches SET status = 'completed', version = version + 1, updated_at = :now, completed_at = :now,
                result_name = :result_name, result_expires_at = :result_expires_at, estimate_json = :estimate
            WHERE id = :id AND status = 'in_progress' AND version = :version
            """;

    private static final String RENEW_UPLOAD_LINK = """
            UPDATE batches SET upload_expires_at = :expires_at, version = version + 1, updated_at = :now
            WHERE id = :id AND status = 'waiting_for_upload' AND version = :version
            """;

    private static final String SELECT_ABANDONED_UPLOADS = "SELECT " + COLUMNS + """
             FROM batches
            WHERE status = 'waiting_for_upload' AND upload_expires_at < :before
            ORDER BY upload_expires_at, id
            LIMIT :limit
            """;

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public BatchStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts the batch; false when its job no longer takes batches (cancelled or being deleted). */
    public boolean insert(Batch batch, Instant now) {
        return jdbc.sql(INSERT)
                .param("id", batch.id())
                .param("job_id", batch.jobId())
                .param("account_id", batch.accountId())
                .param("source", batch.source().wire())
                .param("status", batch.status().wire())
                .param("file_name", batch.fileName())
                .param("source_uri", batch.sourceUri())
                .param("upload_expires_at", batch.uploadExpiresAt() == null ? null : batch.uploadExpiresAt().toEpochMilli())
                .param("record_limit", batch.recordLimit())
                .param("result_format", batch.resultFormat().wire())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    public Optional<Batch> find(String accountId, String jobId, String id) {
        return jdbc.sql(SELECT_ONE).param("account_id", accountId).param("job_id", jobId).param("id", id)
                .query(this::map).optional();
    }

    /** For workers and signed URLs, which are not tied to an API key. */
    public Optional<Batch> findById(String id) {
        return jdbc.sql(SELECT_BY_ID).param("id", id).query(this::map).optional();
    }

    public List<Batch> ofJob(String jobId) {
        return jdbc.sql(SELECT_OF_JOB).param("job_id", jobId).query(this::map).list();
    }

    public boolean move(Batch batch, BatchStatus to, Instant now) {
        batch.status().checkMoveTo(to);
        return jdbc.sql(MOVE)
                .param("id", batch.id())
                .param("from", batch.status().wire())
                .param("version", batch.version())
                .param("to", to.wire())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Records the stored input and queues the batch for loading. */
    public boolean markQueued(Batch batch, String fileName, String inputKey, long size, String sha256, Instant now) {
        batch.status().checkMoveTo(BatchStatus.QUEUED);
        return jdbc.sql(MARK_QUEUED)
                .param("id", batch.id())
                .param("from", batch.status().wire())
                .param("version", batch.version())
                .param("file_name", fileName)
                .param("input_key", inputKey)
                .param("size_bytes", size)
                .param("sha256", sha256)
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Gives a batch still waiting for its file a new upload link expiry; false when it moved meanwhile. */
    public boolean renewUploadLink(Batch batch, Instant expiresAt, Instant now) {
        return jdbc.sql(RENEW_UPLOAD_LINK)
                .param("id", batch.id())
                .param("version", batch.version())
                .param("expires_at", expiresAt.toEpochMilli())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Batches of every account still waiting for their file whose upload link expired before {@code before}. */
    public List<Batch> abandonedUploads(Instant before, int limit) {
        return jdbc.sql(SELECT_ABANDONED_UPLOADS).param("before", before.toEpochMilli()).param("limit", limit)
                .query(this::map).list();
    }

    public boolean markLoading(Batch batch, Instant now) {
        batch.status().checkMoveTo(BatchStatus.LOADING);
        return jdbc.sql(MARK_LOADING).param("id", batch.id()).param("version", batch.version())
                .param("now", now.toEpochMilli()).update() == 1;
    }

    public boolean markLoaded(Batch batch, List<String> columns, int keyColumn, String charset, String delimiter,
            long records, int chunks, Instant now) {
        batch.status().checkMoveTo(BatchStatus.IN_PROGRESS);
        return jdbc.sql(MARK_LOADED)
                .param("id", batch.id())
                .param("version", batch.version())
                .param("columns_json", json.writeValueAsString(columns))
                .param("key_column", keyColumn)
                .param("charset", charset)
                .param("delimiter", delimiter)
                .param("records_total", records)
                .param("chunks_total", chunks)
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Moves to {@code MALFORMED} or {@code FAILED} with the reason the client will read. */
    public boolean markProblem(Batch batch, BatchStatus to, String code, String message, Instant now) {
        batch.status().checkMoveTo(to);
        return jdbc.sql(MARK_PROBLEM)
                .param("id", batch.id())
                .param("from", batch.status().wire())
                .param("version", batch.version())
                .param("to", to.wire())
                .param("error_code", code)
                .param("error_message", message)
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Adds one finished chunk's counters; false when the batch is no longer in progress. */
    public boolean addChunk(String batchId, RecordCounts counts, Instant now) {
        return CounterColumns.bind(jdbc.sql(ADD_CHUNK), counts)
                .param("id", batchId)
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Adds counters decided when the batch completes (import's completed and ignored records). */
    public void addCounts(String batchId, RecordCounts counts, Instant now) {
        CounterColumns.bind(jdbc.sql(ADD_COUNTS), counts)
                .param("id", batchId)
                .param("now", now.toEpochMilli())
                .update();
    }

    /** Adds counters to a batch still in progress; false when it is not (cancelled, failed) or gone. */
    public boolean addWhileInProgress(String batchId, RecordCounts counts, Instant now) {
        return CounterColumns.bind(jdbc.sql(ADD_IN_PROGRESS), counts)
                .param("id", batchId)
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    /** Records a fetched input of a loading batch; false when the batch is no longer loading (or gone). */
    public boolean setInput(String batchId, String inputKey, long size, String sha256, Instant now) {
        return jdbc.sql(SET_INPUT).param("id", batchId).param("input_key", inputKey).param("size_bytes", size)
                .param("sha256", sha256).param("now", now.toEpochMilli()).update() == 1;
    }

    /** How many batches, of all accounts, are in each status; statuses without batches are absent. */
    public Map<BatchStatus, Long> countByStatus() {
        Map<BatchStatus, Long> counts = new EnumMap<>(BatchStatus.class);
        jdbc.sql(COUNT_BY_STATUS).query(rs -> {
            counts.put(BatchStatus.fromWire(rs.getString("status")), rs.getLong("n"));
        });
        return counts;
    }

    public boolean markCompleted(Batch batch, String resultName, Instant resultExpiresAt, Instant now) {
        return markCompleted(batch, resultName, resultExpiresAt, null, now);
    }

    /** Completes the batch with its {@code estimate} (a JSON object, or null). */
    public boolean markCompleted(Batch batch, String resultName, Instant resultExpiresAt, String estimate,
            Instant now) {
        batch.status().checkMoveTo(BatchStatus.COMPLETED);
        return jdbc.sql(MARK_COMPLETED)
                .param("id", batch.id())
                .param("result_name", resultName)
                .param("estimate", estimate, java.sql.Types.VARCHAR)
                .param("version", batch.version())
                .param("result_expires_at", resultExpiresAt.toEpochMilli())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    private Batch map(ResultSet rs, int row) throws SQLException {
        String columns = rs.getString("columns_json");
        String format = rs.getString("result_format");
        return new Batch(
                new Batch.Identity(rs.getString("id"), rs.getString("job_id"), rs.getString("account_id")),
                BatchStatus.fromWire(rs.getString("status")),
                rs.getLong("version"),
                new Batch.Input(
                        BatchSource.valueOf(rs.getString("source").toUpperCase(Locale.ROOT)),
                        rs.getString("file_name"),
                        rs.getString("input_key"),
                        rs.getString("source_uri"),
                        nullableLong(rs, "size_bytes"),
                        rs.getString("sha256"),
                        instant(rs, "upload_expires_at"),
                        rs.getLong("record_limit"),
                        columns == null ? null : json.readValue(columns, STRING_LIST),
                        nullableInt(rs, "key_column"),
                        rs.getString("charset"),
                        rs.getString("delimiter")),
                new Batch.Progress(CounterColumns.read(rs), rs.getInt("chunks_total"), rs.getInt("chunks_done"),
                        instant(rs, "started_at")),
                new Batch.Outcome(
                        rs.getString("error_code"),
                        rs.getString("error_message"),
                        format == null ? null : ResultFormat.fromWire(format),
                        rs.getString("result_name"),
                        instant(rs, "result_expires_at"),
                        instant(rs, "completed_at"),
                        rs.getString("estimate_json")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = nullableLong(rs, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
