package dev.sluice.server.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.store.Dialect;
import dev.sluice.server.store.SchemaStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the store: an SQLite file in the data directory (WAL, one writer at a time, waits instead of
 * failing when busy) or the PostgreSQL database named by {@code sluice.database.url}. The {@link Dialect}
 * holds what differs; migrations come from the common folder and the dialect's own, applied before the data
 * source is handed out, when the schema is behind ({@link SchemaStore}).
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
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            // handed out migrated: whatever reads or writes the store comes after this
            new SchemaStore(dialect).bringUpToDate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

}
