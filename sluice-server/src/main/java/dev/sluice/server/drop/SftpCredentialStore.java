package dev.sluice.server.drop;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for SFTP logins: one row per account, holding only the password's hash. */
@Repository
class SftpCredentialStore {

    /** Creating and rotating are one statement, so two concurrent rotations leave exactly one password. */
    private static final String UPSERT = """
            INSERT INTO sftp_credentials (account_id, username, password_hash, created_at)
            VALUES (:account_id, :username, :password_hash, :now)
            ON CONFLICT (account_id) DO UPDATE
            SET username = excluded.username, password_hash = excluded.password_hash, created_at = excluded.created_at
            """;

    private static final String SELECT_BY_USERNAME = """
            SELECT account_id, password_hash FROM sftp_credentials WHERE username = :username
            """;

    /** The account a username logs into and the hash its password must match. */
    record Login(String accountId, String passwordHash) {
    }

    private final JdbcClient jdbc;

    SftpCredentialStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void upsert(String accountId, String username, String passwordHash, Instant now) {
        jdbc.sql(UPSERT)
                .param("account_id", accountId)
                .param("username", username)
                .param("password_hash", passwordHash)
                .param("now", now.toEpochMilli())
                .update();
    }

    Optional<Login> findByUsername(String username) {
        return jdbc.sql(SELECT_BY_USERNAME).param("username", username)
                .query((rs, row) -> new Login(rs.getString("account_id"), rs.getString("password_hash")))
                .optional();
    }
}
