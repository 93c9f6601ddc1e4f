package dev.sluice.server.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the outbox ({@code deliveries}) and its attempt log ({@code delivery_attempts}). */
@Repository
class DeliveryStore {

    /** A listener told twice about one batch event writes one row: the unique index drops the second. */
    private static final String INSERT = """
            INSERT INTO deliveries (id, account_id, job_id, batch_id, url, method, event_type, payload, status, version,
                attempts, redeliveries, attempts_before_round, next_attempt_at, created_at, updated_at)
            VALUES (:id, :account_id, :job_id, :batch_id, :url, :method, :event_type, :payload, :status, 0,
                0, 0, 0, :now, :now, :now)
            ON CONFLICT (batch_id, event_type) DO NOTHING
            """;

    private static final String COLUMNS = """
            id, account_id, job_id, batch_id, url, method, event_type, payload, status, version, attempts,
            redeliveries, attempts_before_round, next_attempt_at, last_status_code, last_error, created_at,
            updated_at, delivered_at
            """;

    private static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM deliveries WHERE id = :id";

    private static final String SELECT_BY_JOB = "SELECT " + COLUMNS
            + " FROM deliveries WHERE account_id = :account_id AND job_id = :job_id ORDER BY id";

    private static final String SELECT_ATTEMPTS_BY_JOB = """
            SELECT a.delivery_id, a.attempt, a.at, a.status_code, a.error, a.duration_ms
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
            WHERE d.account_id = :account_id AND d.job_id = :job_id
            ORDER BY a.delivery_id, a.attempt
            """;

    private static final String SELECT_ATTEMPTS = """
            SELECT delivery_id, attempt, at, status_code, error, duration_ms
            FROM delivery_attempts WHERE delivery_id = :delivery_id ORDER BY attempt
            """;

    /** Counting the attempt locks the row, so two senders of one delivery number their attempts apart. */
    private static final String COUNT_ATTEMPT = "UPDATE deliveries SET attempts = attempts + 1 WHERE id = :id";
    private static final String SELECT_ATTEMPTS_COUNT = "SELECT attempts FROM deliveries WHERE id = :id";

    private static final String INSERT_ATTEMPT = """
            INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
            VALUES (:delivery_id, :attempt, :at, :status_code, :error, :duration_ms)
            """;

    private static final String SETTLE = """
            UPDATE deliveries SET status = :to, version = version + 1, next_attempt_at = :next_attempt_at,
                last_status_code = :last_status_code, last_error = :last_error, delivered_at = :delivered_at,
                updated_at = :now
            WHERE id = :id AND status = :from AND version = :version
            """;

    private static final String REDELIVER = """
            UPDATE deliveries SET status = :to, version = version + 1, redeliveries = redeliveries + 1,
                attempts_before_round = attempts, next_attempt_at = :now, updated_at = :now
            WHERE id = :id AND status = :from AND version = :version
            """;

    private final JdbcClient jdbc;

    DeliveryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new pending outbox row; false when this batch event already has one. */
    boolean insert(String id, String accountId, String jobId, String batchId, String url, String method,
            String eventType, String payload, Instant now) {
        return jdbc.sql(INSERT)
                .param("id", id)
                .param("account_id", accountId)
                .param("job_id", jobId)
                .param("batch_id", batchId)
                .param("url", url)
                .param("method", method)
                .param("event_type", eventType)
                .param("payload", payload)
                .param("status", DeliveryStatus.PENDING.wire())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    Optional<Delivery> findById(String id) {
        return jdbc.sql(SELECT_BY_ID).param("id", id).query(DeliveryStore::delivery).optional();
    }

    List<Delivery> findByJob(String accountId, String jobId) {
        return jdbc.sql(SELECT_BY_JOB).param("account_id", accountId).param("job_id", jobId)
                .query(DeliveryStore::delivery).list();
    }

    List<DeliveryAttempt> attemptsOfJob(String accountId, String jobId) {
        return jdbc.sql(SELECT_ATTEMPTS_BY_JOB).param("account_id", accountId).param("job_id", jobId)
                .query(DeliveryStore::attempt).list();
    }

    List<DeliveryAttempt> attempts(String deliveryId) {
        return jdbc.sql(SELECT_ATTEMPTS).param("delivery_id", deliveryId).query(DeliveryStore::attempt).list();
    }

    /** Records one attempt under the next number; call inside a transaction. Answers the number. */
    int recordAttempt(String deliveryId, Instant at, Integer statusCode, String error, long durationMs) {
        jdbc.sql(COUNT_ATTEMPT).param("id", deliveryId).update();
        int attempt = jdbc.sql(SELECT_ATTEMPTS_COUNT).param("id", deliveryId).query(Integer.class).single();
        jdbc.sql(INSERT_ATTEMPT)
                .param("delivery_id", deliveryId)
                .param("attempt", attempt)
                .param("at", at.toEpochMilli())
                .param("status_code", statusCode)
                .param("error", error)
                .param("duration_ms", durationMs)
                .update();
        return attempt;
    }

    /**
     * Compare-and-set after an attempt: {@code to} with the attempt's outcome, if the row is still the
     * {@code expected} one. False when a redelivery moved it meanwhile.
     */
    boolean settle(Delivery expected, DeliveryStatus to, Instant nextAttemptAt, Integer statusCode, String error,
            Instant now) {
        expected.status().requireMoveTo(to);
        return jdbc.sql(SETTLE)
                .param("to", to.wire())
                .param("next_attempt_at", nextAttemptAt == null ? null : nextAttemptAt.toEpochMilli())
                .param("last_status_code", statusCode)
                .param("last_error", error)
                .param("delivered_at", to == DeliveryStatus.DELIVERED ? now.toEpochMilli() : null)
                .param("now", now.toEpochMilli())
                .param("id", expected.id())
                .param("from", expected.status().wire())
                .param("version", expected.version())
                .update() == 1;
    }

    /** Compare-and-set to a new pending round that starts now. False when the row changed meanwhile. */
    boolean redeliver(Delivery expected, Instant now) {
        expected.status().requireMoveTo(DeliveryStatus.PENDING);
        return jdbc.sql(REDELIVER)
                .param("to", DeliveryStatus.PENDING.wire())
                .param("now", now.toEpochMilli())
                .param("id", expected.id())
                .param("from", expected.status().wire())
                .param("version", expected.version())
                .update() == 1;
    }

    private static Delivery delivery(ResultSet rs, int row) throws SQLException {
        return new Delivery(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("job_id"),
                rs.getString("batch_id"),
                rs.getString("url"),
                rs.getString("method"),
                rs.getString("event_type"),
                rs.getString("payload"),
                DeliveryStatus.fromWire(rs.getString("status")),
                rs.getLong("version"),
                rs.getInt("attempts"),
                rs.getInt("redeliveries"),
                rs.getInt("attempts_before_round"),
                instant(rs, "next_attempt_at"),
                integer(rs, "last_status_code"),
                rs.getString("last_error"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "delivered_at"));
    }

    private static DeliveryAttempt attempt(ResultSet rs, int row) throws SQLException {
        return new DeliveryAttempt(rs.getString("delivery_id"), rs.getInt("attempt"), instant(rs, "at"),
                integer(rs, "status_code"), rs.getString("error"), rs.getLong("duration_ms"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
