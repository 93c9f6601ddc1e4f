package dev.sluice.server.store;

import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Secrets every node must agree on (URL signing keys, later the SFTP host key). The first node to need
 * one creates it; the others read the same row.
 */
@Repository
public class SecretStore {

    private static final String INSERT = """
            INSERT INTO secrets (name, value, created_at) VALUES (:name, :value, :now)
            ON CONFLICT (name) DO NOTHING
            """;
    private static final String SELECT = "SELECT value FROM secrets WHERE name = :name";

    private final JdbcClient jdbc;

    public SecretStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The secret called {@code name}, created from {@code fresh} if no node has made it yet. {@code fresh} runs
     * only when the row is missing (an SFTP host key takes tens of milliseconds to make, and every start asks);
     * when two nodes make one at once, the row written first wins and both answer it.
     */
    public String getOrCreate(String name, Supplier<String> fresh) {
        Optional<String> stored = jdbc.sql(SELECT).param("name", name).query(String.class).optional();
        if (stored.isPresent()) {
            return stored.get();
        }
        jdbc.sql(INSERT).param("name", name).param("value", fresh.get()).param("now", System.currentTimeMillis()).update();
        return jdbc.sql(SELECT).param("name", name).query(String.class).single();
    }
}
