package dev.sluice.server.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for accounts and API keys. Keys are stored as SHA-256 hashes only. */
@Repository
public class AccountStore {

    private static final String INSERT_ACCOUNT = """
            INSERT INTO accounts (id, name, admin, created_at) VALUES (:id, :name, :admin, :now)
            """;

    private static final String INSERT_KEY = """
            INSERT INTO api_keys (id, account_id, kind, key_hash, key_prefix, created_at)
            VALUES (:id, :account_id, :kind, :key_hash, :key_prefix, :now)
            """;

    private static final String COUNT_ACCOUNTS = "SELECT COUNT(*) FROM accounts";

    private static final String SELECT_ACCOUNT = "SELECT id, name, admin, created_at FROM accounts WHERE id = :id";

    private static final String SELECT_FIRST_ADMIN = """
            SELECT id, name, admin, created_at FROM accounts WHERE admin = :admin ORDER BY created_at, id LIMIT 1
            """;

    private static final String SELECT_BY_KEY_HASH = """
            SELECT a.id, a.name, a.admin, a.created_at, k.id AS key_id, k.kind
            FROM api_keys k JOIN accounts a ON a.id = k.account_id
            WHERE k.key_hash = :key_hash AND k.revoked_at IS NULL
            """;

    private static final String SELECT_ACTIVE_KEYS = """
            SELECT id, account_id, kind, key_prefix, created_at FROM api_keys
            WHERE account_id = :account_id AND revoked_at IS NULL
            ORDER BY created_at, id
            """;

    /** Takes the account's row lock first, so two revocations of an account's last keys run one after the other. */
    private static final String LOCK_ACCOUNT = "UPDATE accounts SET name = name WHERE id = :account_id";

    private static final String COUNT_ACTIVE_KEYS = """
            SELECT COUNT(*) FROM api_keys WHERE account_id = :account_id AND revoked_at IS NULL
            """;

    private static final String REVOKE_KEY = """
            UPDATE api_keys SET revoked_at = :now
            WHERE id = :id AND account_id = :account_id AND revoked_at IS NULL
            """;

    private final JdbcClient jdbc;

    public AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insertAccount(Account account) {
        jdbc.sql(INSERT_ACCOUNT)
                .param("id", account.id())
                .param("name", account.name())
                .param("admin", account.admin())
                .param("now", account.createdAt().toEpochMilli())
                .update();
    }

    public void insertKey(String id, String accountId, ApiKeyKind kind, String keyHash, String keyPrefix, Instant now) {
        jdbc.sql(INSERT_KEY)
                .param("id", id)
                .param("account_id", accountId)
                .param("kind", kind.wire())
                .param("key_hash", keyHash)
                .param("key_prefix", keyPrefix)
                .param("now", now.toEpochMilli())
                .update();
    }

    public long countAccounts() {
        return jdbc.sql(COUNT_ACCOUNTS).query(Long.class).single();
    }

    public Optional<Account> find(String id) {
        return jdbc.sql(SELECT_ACCOUNT).param("id", id).query(AccountStore::mapAccount).optional();
    }

    /** The oldest admin account: the one the first start created. */
    public Optional<Account> findFirstAdmin() {
        return jdbc.sql(SELECT_FIRST_ADMIN).param("admin", true).query(AccountStore::mapAccount).optional();
    }

    public Optional<Caller> findByKeyHash(String keyHash) {
        return jdbc.sql(SELECT_BY_KEY_HASH).param("key_hash", keyHash)
                .query((rs, row) -> new Caller(mapAccount(rs, row), rs.getString("key_id"),
                        ApiKeyKind.fromWire(rs.getString("kind"))))
                .optional();
    }

    /** The account's keys that still authenticate, oldest first; the secrets are not stored, only prefixes. */
    public java.util.List<KeyInfo> activeKeys(String accountId) {
        return jdbc.sql(SELECT_ACTIVE_KEYS).param("account_id", accountId)
                .query((rs, row) -> new KeyInfo(rs.getString("id"), rs.getString("account_id"),
                        ApiKeyKind.fromWire(rs.getString("kind")), rs.getString("key_prefix"),
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list();
    }

    /** Locks the account's row until the transaction ends (a no-op update: works on both dialects). */
    public void lockAccount(String accountId) {
        jdbc.sql(LOCK_ACCOUNT).param("account_id", accountId).update();
    }

    public long countActiveKeys(String accountId) {
        return jdbc.sql(COUNT_ACTIVE_KEYS).param("account_id", accountId).query(Long.class).single();
    }

    /** Revokes an active key of the account; false when there is no such active key. */
    public boolean revokeKey(String accountId, String keyId, Instant now) {
        return jdbc.sql(REVOKE_KEY).param("id", keyId).param("account_id", accountId)
                .param("now", now.toEpochMilli()).update() == 1;
    }

    private static Account mapAccount(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("name"), rs.getBoolean("admin"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
