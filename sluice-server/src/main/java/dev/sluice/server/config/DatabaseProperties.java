package dev.sluice.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the store lives.
 *
 * @param url JDBC URL of a PostgreSQL database; empty means the embedded SQLite file
 *     {@code <data-dir>/sluice.db} (env {@code SLUICE_DATABASE_URL})
 * @param username database user, PostgreSQL only (env {@code SLUICE_DATABASE_USERNAME})
 * @param password database password, PostgreSQL only (env {@code SLUICE_DATABASE_PASSWORD})
 * @param poolSize connections in the pool; default {@value #DEFAULT_POOL_SIZE} (env {@code SLUICE_DATABASE_POOL_SIZE})
 */
@ConfigurationProperties("sluice.database")
public record DatabaseProperties(
        String url,
        String username,
        String password,
        @DefaultValue("" + DEFAULT_POOL_SIZE) int poolSize) {

    public static final int DEFAULT_POOL_SIZE = 10;

    public boolean embedded() {
        return url == null || url.isBlank();
    }
}
