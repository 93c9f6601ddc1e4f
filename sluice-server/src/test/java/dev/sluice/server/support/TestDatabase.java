package dev.sluice.server.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.store.Dialect;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The databases a contract runs on. A contract class takes one as the parameter of a
 * {@code @ParameterizedClass} ({@code @EnumSource(TestDatabase.class)}), so one class runs on each database
 * instead of a subclass per database.
 */
public enum TestDatabase {

    /** An SQLite file in a temporary folder, with the connection settings the server uses. */
    SQLITE(Dialect.SQLITE),
    /** A new, empty database on the one embedded PostgreSQL of the test JVM ({@link TestPostgres}). */
    POSTGRESQL(Dialect.POSTGRESQL);

    private final Dialect dialect;

    TestDatabase(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The dialect the server picks for this database. */
    public Dialect dialect() {
        return dialect;
    }

    /** {@link #newDataSource} with the server's migrations applied, as a store contract test starts from. */
    public HikariDataSource newMigratedDataSource(Path dir) {
        HikariDataSource dataSource = newDataSource(dir);
        Flyway.configure().dataSource(dataSource)
                .locations(dialect.migrationLocations().toArray(String[]::new)).load().migrate();
        return dataSource;
    }

    /**
     * A pooled data source (4 connections) on a new, empty database. {@code dir} is a folder of the test's own:
     * the SQLite file goes there.
     */
    public HikariDataSource newDataSource(Path dir) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-" + name().toLowerCase(java.util.Locale.ROOT) + "-contract");
        config.setMaximumPoolSize(4);
        switch (this) {
            case SQLITE -> dialect.connect(config, dir, null, null, null); // as the server connects
            case POSTGRESQL -> {
                config.setJdbcUrl(TestPostgres.newDatabaseUrl());
                config.setUsername("postgres");
                config.setPassword("postgres");
            }
        }
        return new HikariDataSource(config);
    }

    /**
     * The server properties of a new, empty database of this kind. SQLite needs none: the server keeps its
     * file in {@code sluice.data-dir}.
     */
    public Map<String, String> properties() {
        if (this == SQLITE) {
            return Map.of();
        }
        return Map.of("sluice.database.url", TestPostgres.newDatabaseUrl(), "sluice.database.username", "postgres",
                "sluice.database.password", "postgres");
    }
}
