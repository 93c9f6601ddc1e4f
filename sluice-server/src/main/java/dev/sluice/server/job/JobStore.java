package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** SQL for jobs. Every read is scoped by account; every status write is a compare-and-set. */
@Repository
class JobStore {

    private static final String COLUMNS = """
            id, account_id, name, operation, options_json, output_format, status, version, notification_url,
            notification_method, retention_hours, idempotency_key, request_hash, records_total,
            records_processed, records_valid, records_invalid, records_accept_all, records_unknown, records_completed, records_failed, records_ignored,
            records_deferred, records_duplicates, created_at, updated_at
            """;

    private static final String INSERT = """
            INSERT INTO jobs (id, account_id, name, operation, options_json, output_format, status, version,
                notification_url, notification_method, retention_hours, idempotency_key, request_hash, created_at,
                updated_at)
            VALUES (:id, :account_id, :name, :operation, :options_json, :output_format, :status, 0, :notification_url,
                :notification_method, :retention_hours, :idempotency_key, :request_hash, :now, :now)
            """;

    /** Jobs being deleted are gone for every client read: by id, by idempotency key, in pages. */
    private static final String SELECT_ONE = "SELECT " + COLUMNS
            + " FROM jobs WHERE account_id = :account_id AND id = :id AND status <> 'deleting'";

    private static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM jobs WHERE id = :id";

    private static final String SELECT_BY_IDEMPOTENCY_KEY = "SELECT " + COLUMNS
            + " FROM jobs WHERE account_id = :account_id AND idempotency_key = :key AND status <> 'deleting'";

    private static final String SELECT_PAGE = "SELECT " + COLUMNS + """
             FROM jobs
            WHERE account_id = :account_id AND status <> 'deleting'
              AND (CAST(:cursor AS TEXT) IS NULL OR id < CAST(:cursor AS TEXT))
              AND (CAST(:status AS TEXT) IS NULL OR status = CAST(:status AS TEXT))
            ORDER BY id DESC
            LIMIT :limit
            """;

    private static final String MOVE_STATUS = """
            UPDATE jobs SET status = :to, version = version + 1, updated_at = :now
            WHERE id = :id AND status = :from AND version = :version
            """;

    private static final String ADD_TOTAL = """
            UPDATE jobs SET records_total = records_total + :total, version = version + 1, updated_at = :now
            WHERE id = :id
            """;

    private static final String ADD_PROCESSED = "UPDATE jobs SET " + CounterColumns.ADD + """
            , version = version + 1, updated_at = :now
            WHERE id = :id
            """;

    private static final String BATCH_COUNTS = """
            SELECT status, COUNT(*) AS n FROM batches WHERE job_id = :job_id GROUP BY status
            """;

    private static final String DELETE_EVENTS = "DELETE FROM events WHERE job_id = :job_id";
    private static final String DELETE_CHUNKS = "DELETE FROM chunks WHERE batch_id IN (SELECT id FROM batches WHERE job_id = :job_id)";
    private static final String DELETE_BATCHES = "DELETE FROM batches WHERE job_id = :job_id";
    private static final String DELETE_JOB = "DELETE FROM jobs WHERE id = :job_id";

    private static final TypeReference<Map<String, Object>> OPTIONS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public JobStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void insert(Job job, Instant now) {
        jdbc.sql(INSERT)
                .param("id", job.id())
                .param("account_id", job.accountId())
                .param("name", job.name())
                .param("operation", job.operation().wire())
                .param("options_json", json.writeValueAsString(job.options() == null ? Map.of() : job.options()))
                .param("output_format", job.outputFormat().wire())
                .param("status", job.status().wire())
                .param("notification_url", job.notification() == null ? null : job.notification().url())
                .param("notification_method", job.notification() == null ? null : job.notification().method())
                .param("retention_hours", job.retentionHours())
                .param("idempotency_key", job.idempotencyKey())
                .param("request_hash", job.requestHash())
                .param("now", now.toEpochMilli())
                .update();
    }

    public Optional<Job> find(String accountId, String id) {
        return jdbc.sql(SELECT_ONE).param("account_id", accountId).param("id", id).query(this::map).optional();
    }

    /** For workers, which act for whichever account owns the job. */
    public Optional<Job> findById(String id) {
        return jdbc.sql(SELECT_BY_ID).param("id", id).query(this::map).optional();
    }

    public Optional<Job> findByIdempotencyKey(String accountId, String key) {
        return jdbc.sql(SELECT_BY_IDEMPOTENCY_KEY).param("account_id", accountId).param("key", key)
                .query(this::map).optional();
    }

    /** Newest first; {@code cursor} is the id of the last job of the previous page. */
    public List<Job> page(String accountId, JobStatus status, String cursor, int limit) {
        return jdbc.sql(SELECT_PAGE)
                .param("account_id", accountId)
                .param("cursor", cursor)
                .param("status", status == null ? null : status.wire())
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Compare-and-set; false when another writer moved the job first. */
    public boolean moveStatus(Job job, JobStatus to, Instant now) {
        job.status().checkMoveTo(to);
        return jdbc.sql(MOVE_STATUS)
                .param("id", job.id())
                .param("from", job.status().wire())
                .param("version", job.version())
                .param("to", to.wire())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    public void addTotal(String jobId, long total, Instant now) {
        jdbc.sql(ADD_TOTAL).param("id", jobId).param("total", total).param("now", now.toEpochMilli()).update();
    }

    public void addProcessed(String jobId, RecordCounts counts, Instant now) {
        CounterColumns.bind(jdbc.sql(ADD_PROCESSED), counts)
                .param("id", jobId)
                .param("now", now.toEpochMilli())
                .update();
    }

    /** How many of the job's batches are in each status (statuses with none are absent). */
    public Map<BatchStatus, Long> batchCounts(String jobId) {
        Map<BatchStatus, Long> counts = new EnumMap<>(BatchStatus.class);
        jdbc.sql(BATCH_COUNTS).param("job_id", jobId).query((RowCallbackHandler) rs ->
                counts.put(BatchStatus.fromWire(rs.getString("status")), rs.getLong("n")));
        return counts;
    }

    /** Removes the job and everything it owns in the store (blobs are the caller's). */
    public void delete(String jobId) {
        for (String sql : List.of(DELETE_EVENTS, DELETE_CHUNKS, DELETE_BATCHES, DELETE_JOB)) {
            jdbc.sql(sql).param("job_id", jobId).update();
        }
    }

    private Job map(ResultSet rs, int row) throws SQLException {
        String url = rs.getString("notification_url");
        String options = rs.getString("options_json");
        return new Job(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("name"),
                Operation.fromWire(rs.getString("operation")),
                options == null ? Map.of() : json.readValue(options, OPTIONS),
                ResultFormat.fromWire(rs.getString("output_format")),
                JobStatus.fromWire(rs.getString("status")),
                rs.getLong("version"),
                url == null ? null : new Notification(url, rs.getString("notification_method")),
                rs.getInt("retention_hours"),
                rs.getString("idempotency_key"),
                rs.getString("request_hash"),
                CounterColumns.read(rs),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
