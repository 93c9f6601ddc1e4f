package dev.sluice.server.delivery;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the per-account webhook signing secrets: one row per account, rotated in place. */
@Repository
class WebhookSecretStore {

    /** The first node (or request) to need a secret creates it; the others read the same row. */
    private static final String INSERT_IF_ABSENT = """
            INSERT INTO webhook_secrets (account_id, secret, created_at) VALUES (:account_id, :secret, :now)
            ON CONFLICT (account_id) DO NOTHING
            """;

    private static final String UPSERT = """
            INSERT INTO webhook_secrets (account_id, secret, created_at) VALUES (:account_id, :secret, :now)
            ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at
            """;

    private static final String SELECT = "SELECT secret, created_at FROM webhook_secrets WHERE account_id = :account_id";

    /** An account's secret and when it was made. */
    record Secret(String secret, Instant createdAt) {
    }

    private final JdbcClient jdbc;

    WebhookSecretStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertIfAbsent(String accountId, String secret, Instant now) {
        jdbc.sql(INSERT_IF_ABSENT).param("account_id", accountId).param("secret", secret)
                .param("now", now.toEpochMilli()).update();
    }

    void upsert(String accountId, String secret, Instant now) {
        jdbc.sql(UPSERT).param("account_id", accountId).param("secret", secret).param("now", now.toEpochMilli()).update();
    }

    Optional<Secret> find(String accountId) {
        return jdbc.sql(SELECT).param("account_id", accountId)
                .query((rs, row) -> new Secret(rs.getString("secret"), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .optional();
    }
}
