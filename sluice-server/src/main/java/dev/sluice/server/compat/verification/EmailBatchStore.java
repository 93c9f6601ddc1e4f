package dev.sluice.server.compat.verification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the mapping of email batch task ids onto native jobs, always scoped by account. */
@Repository
public class EmailBatchStore {

    private static final String COLUMNS = """
            job_id, account_id, native_job_id, native_batch_id, submitted_file, estm_total_trans, created_at,
            downloaded_at, credit_cost""";

    private static final String INSERT = """
            INSERT INTO compat_verification_jobs (job_id, account_id, native_job_id, native_batch_id, submitted_file,
                estm_total_trans, created_at)
            VALUES (:job_id, :account_id, :native_job_id, :native_batch_id, :submitted_file, :estm_total_trans, :created_at)
            """;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + """
             FROM compat_verification_jobs WHERE account_id = :account_id AND job_id = :job_id
            """;

    private static final String SELECT_ALL = "SELECT " + COLUMNS + """
             FROM compat_verification_jobs WHERE account_id = :account_id ORDER BY created_at DESC, job_id DESC
            """;

    /** Compare-and-set: only the first download marks the task and records its charge. */
    private static final String MARK_DOWNLOADED = """
            UPDATE compat_verification_jobs SET downloaded_at = :now, credit_cost = :credit_cost
            WHERE account_id = :account_id AND job_id = :job_id AND downloaded_at IS NULL
            """;

    private final JdbcClient jdbc;

    public EmailBatchStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(EmailBatchJob job) {
        jdbc.sql(INSERT)
                .param("job_id", job.jobId())
                .param("account_id", job.accountId())
                .param("native_job_id", job.nativeJobId())
                .param("native_batch_id", job.nativeBatchId())
                .param("submitted_file", job.submittedFile())
                .param("estm_total_trans", job.estmTotalTrans())
                .param("created_at", job.createdAt().toEpochMilli())
                .update();
    }

    public Optional<EmailBatchJob> find(String accountId, String jobId) {
        return jdbc.sql(SELECT_ONE).param("account_id", accountId).param("job_id", jobId)
                .query(EmailBatchStore::map).optional();
    }

    /** The account's tasks, newest first. */
    public List<EmailBatchJob> all(String accountId) {
        return jdbc.sql(SELECT_ALL).param("account_id", accountId).query(EmailBatchStore::map).list();
    }

    /** Marks the first download; false when another request marked it first (a normal outcome). */
    public boolean markDownloaded(EmailBatchJob job, long creditCost, Instant now) {
        return jdbc.sql(MARK_DOWNLOADED)
                .param("now", now.toEpochMilli())
                .param("credit_cost", creditCost)
                .param("account_id", job.accountId())
                .param("job_id", job.jobId())
                .update() == 1;
    }

    private static EmailBatchJob map(ResultSet rs, int row) throws SQLException {
        long downloaded = rs.getLong("downloaded_at");
        Instant downloadedAt = rs.wasNull() ? null : Instant.ofEpochMilli(downloaded);
        long cost = rs.getLong("credit_cost");
        Long creditCost = rs.wasNull() ? null : cost;
        return new EmailBatchJob(rs.getString("job_id"), rs.getString("account_id"), rs.getString("native_job_id"),
                rs.getString("native_batch_id"), rs.getString("submitted_file"), rs.getLong("estm_total_trans"),
                Instant.ofEpochMilli(rs.getLong("created_at")), downloadedAt, creditCost);
    }
}
