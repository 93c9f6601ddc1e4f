package dev.sluice.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.support.TestPostgres;

/** The store contract on a real PostgreSQL server (embedded, on loopback), a new database per test. */
class PostgresStoreContractTest extends StoreContractTest {

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    HikariDataSource newDataSource() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-postgres-contract");
        config.setJdbcUrl(TestPostgres.newDatabaseUrl());
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
