package dev.sluice.server.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.store.Dialect;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the store: an SQLite file in the data directory (WAL, one writer at a time, waits instead of
 * failing when busy) or the PostgreSQL database named by {@code sluice.database.url}. The {@link Dialect}
 * holds what differs; migrations come from the common folder and the dialect's own.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean
    Dialect dialect(DatabaseProperties database) {
        return Dialect.forDatabaseUrl(database.url());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties database, SluiceProperties sluice, Dialect dialect,
            DataDirLock dataDirLock) {
        // the lock parameter makes the data directory ours before the SQLite file in it is opened
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice");
        dialect.connect(config, sluice.dataDir(), database.url(), database.username(), database.password());
        config.setMaximumPoolSize(database.poolSize());
        return new HikariDataSource(config);
    }

    @Bean
    FlywayConfigurationCustomizer flywayLocations(Dialect dialect) {
        return flyway -> flyway.locations(dialect.migrationLocations().toArray(String[]::new));
    }

}
