package dev.sluice.server.compat.append;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for authorization tokens: only their SHA-256 is stored, with the key they were issued to. */
@Repository
class TokenStore {

    private static final String INSERT = """
            INSERT INTO compat_append_tokens (token_hash, key_id, account_id, created_at, expires_at)
            VALUES (:token_hash, :key_id, :account_id, :now, :expires_at)
            """;

    private static final String SELECT = """
            SELECT key_id, expires_at FROM compat_append_tokens WHERE token_hash = :token_hash
            """;

    private static final String DELETE_EXPIRED = """
            DELETE FROM compat_append_tokens WHERE expires_at < :now
            """;

    /** The key a token was issued to, and until when it is good. */
    record Grant(String keyId, Instant expiresAt) {
    }

    private final JdbcClient jdbc;

    TokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String tokenHash, String keyId, String accountId, Instant now, Instant expiresAt) {
        jdbc.sql(INSERT)
                .param("token_hash", tokenHash)
                .param("key_id", keyId)
                .param("account_id", accountId)
                .param("now", now.toEpochMilli())
                .param("expires_at", expiresAt.toEpochMilli())
                .update();
    }

    Optional<Grant> find(String tokenHash) {
        return jdbc.sql(SELECT).param("token_hash", tokenHash)
                .query((rs, row) -> new Grant(rs.getString("key_id"), Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .optional();
    }

    int deleteExpired(Instant now) {
        return jdbc.sql(DELETE_EXPIRED).param("now", now.toEpochMilli()).update();
    }
}
