package dev.sluice.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an SQLite file, with the connection settings the server uses. */
class SqliteStoreContractTest extends StoreContractTest {

    @TempDir
    Path dir;

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    HikariDataSource newDataSource() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-sqlite-contract");
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("sluice.db"));
        // the same settings as config.DatabaseConfig
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.addDataSourceProperty("foreign_keys", "true");
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
