package dev.sluice.server.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a store's schema to this build's version with Flyway, and only when it is behind: a start on a schema
 * that is up to date reads Flyway's history table once instead of setting Flyway up (its plugins, its scan of
 * the migration folders, its validation), which took about a tenth of a start-up. Up to date means every
 * migration recorded succeeded and the highest is {@link #VERSION}; anything else (a new store, an older schema,
 * a failed migration, a schema newer than this build) goes to Flyway, which migrates or says what is wrong, under
 * its own lock where several nodes start at once. A start on an up-to-date schema thus no longer checks the
 * applied migrations' checksums against the files: a changed migration file shows when the next version comes.
 */
public final class SchemaStore {

    /**
     * The highest migration version this build ships, in every dialect ({@code MigrationLayoutTest} holds it to
     * the files): raise it with each new migration.
     */
    public static final String VERSION = "25";

    /** Flyway's history table, under its default name. */
    private static final String HISTORY = "flyway_schema_history";

    private static final String RECORDED = """
            SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL""";

    private final Dialect dialect;

    public SchemaStore(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Migrates the store behind {@code dataSource} unless its schema is at {@link #VERSION} already. */
    public void bringUpToDate(DataSource dataSource) {
        if (!upToDate(dataSource)) {
            Flyway.configure().dataSource(dataSource)
                    .locations(dialect.migrationLocations().toArray(String[]::new)).load().migrate();
        }
    }

    /** Whether Flyway's history shows every migration succeeded and {@link #VERSION} as the highest. */
    boolean upToDate(DataSource dataSource) {
        MigrationVersion highest = null;
        try (Connection connection = dataSource.getConnection()) {
            if (!hasHistory(connection.getMetaData())) {
                return false;
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(RECORDED)) {
                while (rows.next()) {
                    if (!rows.getBoolean("success")) {
                        return false;
                    }
                    MigrationVersion version = MigrationVersion.fromVersion(rows.getString("version"));
                    if (highest == null || version.isNewerThan(highest)) {
                        highest = version;
                    }
                }
            }
        } catch (SQLException e) {
            // Flyway reads the history again and reports what is wrong with it
            return false;
        }
        return MigrationVersion.fromVersion(VERSION).equals(highest);
    }

    private static boolean hasHistory(DatabaseMetaData metaData) throws SQLException {
        // SQLite keeps names as written, PostgreSQL folds unquoted ones to lower case: both answer to lower case
        try (ResultSet tables = metaData.getTables(null, null, HISTORY, null)) {
            return tables.next();
        }
    }
}
