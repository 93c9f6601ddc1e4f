package dev.sluice.server.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.store.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the store: an SQLite file in the data directory (WAL, one writer at a time, waits instead of
 * failing when busy) or the PostgreSQL database named by {@code sluice.database.url}. Migrations come from
 * one folder per dialect.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    /** How long an SQLite writer waits for the lock before giving up, in milliseconds. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    @Bean
    Dialect dialect(DatabaseProperties database) {
        return database.embedded() ? Dialect.SQLITE : Dialect.fromJdbcUrl(database.url());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties database, SluiceProperties sluice, Dialect dialect,
            DataDirLock dataDirLock) {
        // the lock parameter makes the data directory ours before the SQLite file in it is opened
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice");
        if (dialect == Dialect.SQLITE) {
            Path dir = sluice.dataDir().toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + dir, e);
            }
            config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("sluice.db"));
            // IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue on the
            // busy timeout instead of one failing with SQLITE_BUSY on a lock upgrade.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.addDataSourceProperty("foreign_keys", "true");
            config.setMaximumPoolSize(database.poolSize());
        } else {
            config.setJdbcUrl(database.url());
            config.setUsername(database.username());
            config.setPassword(database.password());
            config.setMaximumPoolSize(database.poolSize());
        }
        return new HikariDataSource(config);
    }

    @Bean
    FlywayConfigurationCustomizer flywayLocations(Dialect dialect) {
        return flyway -> flyway.locations("classpath:db/migration/" + dialect.folder());
    }

}
