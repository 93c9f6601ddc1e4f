package dev.sluice.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.support.TestPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Migrations identical in every dialect live once in {@code db/migration/common}; a dialect folder holds only
 * what really differs. Databases migrated when every dialect had all its migrations in its own folder keep
 * validating and migrating: versions, descriptions and checksums come from the file names and contents,
 * which moving a file into {@code common} does not change. A start calls Flyway only when the schema is behind
 * {@link SchemaStore#VERSION}, which must name the highest migration.
 */
class MigrationLayoutTest {

    @TempDir
    Path dir;

    /** A dialect and how to reach a new, empty database of it (no URL: a file in the data directory). */
    record Store(Dialect dialect, Supplier<String> url) {
        @Override
        public String toString() {
            return dialect.name();
        }
    }

    static Stream<Store> stores() {
        return Stream.of(new Store(Dialect.SQLITE, () -> null),
                new Store(Dialect.POSTGRESQL, TestPostgres::newDatabaseUrl));
    }

    @Test
    void a_migration_identical_in_both_dialects_lives_only_in_common() throws Exception {
        // given
        Map<String, Path> common = migrations("common");
        Map<String, Path> sqlite = migrations(Dialect.SQLITE.name());
        Map<String, Path> postgres = migrations(Dialect.POSTGRESQL.name());

        // then: dialect folders hold the same versions, each differing between them, none also in common
        assertThat(common).isNotEmpty();
        assertThat(sqlite.keySet()).isEqualTo(postgres.keySet());
        assertThat(sqlite.keySet()).doesNotContainAnyElementsOf(common.keySet());
        for (String name : sqlite.keySet()) {
            assertThat(Files.mismatch(sqlite.get(name), postgres.get(name)))
                    .as(name + " is the same in both dialects: move it to common").isNotEqualTo(-1L);
        }
        assertThat(versions(common)).doesNotContainAnyElementsOf(versions(sqlite));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_database_migrated_from_one_folder_per_dialect_validates_and_has_nothing_left_to_migrate(Store store)
            throws Exception {
        Dialect dialect = store.dialect();
        // given: a database migrated by the former layout, every migration of the dialect in one folder
        Path former = Files.createDirectories(dir.resolve("former"));
        for (String folder : List.of("common", dialect.name())) {
            for (Map.Entry<String, Path> file : migrations(folder).entrySet()) {
                Files.copy(file.getValue(), former.resolve(file.getKey()));
            }
        }
        try (HikariDataSource dataSource = newDataSource(store)) {
            MigrateResult first = Flyway.configure().dataSource(dataSource)
                    .locations("filesystem:" + former).load().migrate();
            List<String> applied = history(Flyway.configure().dataSource(dataSource)
                    .locations("filesystem:" + former).load());

            // when: the server's locations (common, then the dialect's folder) take over
            Flyway current = Flyway.configure().dataSource(dataSource)
                    .locations(dialect.migrationLocations().toArray(String[]::new)).load();
            ValidateResult validation = current.validateWithResult();
            MigrateResult again = current.migrate();

            // then: same versions, descriptions and checksums; nothing pending, nothing run twice
            assertThat(first.migrationsExecuted).isEqualTo(migrations("common").size()
                    + migrations(dialect.name()).size());
            assertThat(validation.validationSuccessful).as(String.valueOf(validation.invalidMigrations)).isTrue();
            assertThat(again.migrationsExecuted).isZero();
            assertThat(history(current)).isEqualTo(applied);
            assertThat(current.info().pending()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_new_database_gets_every_migration_of_its_dialect_in_version_order(Store store) throws Exception {
        Dialect dialect = store.dialect();
        List<MigrationVersion> expected = shippedVersions(dialect);
        try (HikariDataSource dataSource = newDataSource(store)) {
            // when
            Flyway flyway = Flyway.configure().dataSource(dataSource)
                    .locations(dialect.migrationLocations().toArray(String[]::new)).load();
            MigrateResult result = flyway.migrate();

            // then
            assertThat(result.migrationsExecuted).isEqualTo(expected.size());
            assertThat(flyway.info().applied()).extracting(MigrationInfo::getVersion)
                    .containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void the_schema_version_the_server_expects_is_the_highest_migration_of_the_dialect(Store store) throws Exception {
        // given
        List<MigrationVersion> shipped = shippedVersions(store.dialect());

        // then: a new migration raises SchemaStore.VERSION with it, or a start would take the schema as behind
        assertThat(MigrationVersion.fromVersion(SchemaStore.VERSION))
                .as("SchemaStore.VERSION against db/migration").isEqualTo(shipped.getLast());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_start_migrates_a_schema_that_is_behind_and_leaves_flyway_alone_on_one_that_is_not(Store store)
            throws Exception {
        Dialect dialect = store.dialect();
        SchemaStore schema = new SchemaStore(dialect);
        try (HikariDataSource dataSource = newDataSource(store)) {
            // a new store: no history
            assertThat(schema.upToDate(dataSource)).isFalse();

            // an older schema: every migration but the last applied
            Flyway older = Flyway.configure().dataSource(dataSource).target(previousVersion(dialect))
                    .locations(dialect.migrationLocations().toArray(String[]::new)).load();
            older.migrate();
            assertThat(schema.upToDate(dataSource)).isFalse();

            // brought up to date: Flyway ran the rest, and a start after it finds nothing to do
            schema.bringUpToDate(dataSource);
            Flyway current = Flyway.configure().dataSource(dataSource)
                    .locations(dialect.migrationLocations().toArray(String[]::new)).load();
            assertThat(current.info().pending()).isEmpty();
            assertThat(current.info().current().getVersion()).isEqualTo(MigrationVersion.fromVersion(SchemaStore.VERSION));
            assertThat(schema.upToDate(dataSource)).isTrue();

            // a failed migration recorded (as a crash in one leaves it on a database without transactional DDL)
            new JdbcTemplate(dataSource).update(
                    "UPDATE flyway_schema_history SET success = ? WHERE version = ?", false, SchemaStore.VERSION);
            assertThat(schema.upToDate(dataSource)).isFalse();
        }
    }

    /** The versions of the dialect's migrations (common and its own folder), lowest first. */
    private static List<MigrationVersion> shippedVersions(Dialect dialect) throws IOException, URISyntaxException {
        List<MigrationVersion> shipped = new ArrayList<>();
        for (String folder : List.of("common", dialect.name())) {
            versions(migrations(folder)).forEach(v -> shipped.add(MigrationVersion.fromVersion(v)));
        }
        shipped.sort(null);
        return shipped;
    }

    /** The highest version of the dialect's migrations below {@link SchemaStore#VERSION}. */
    private static String previousVersion(Dialect dialect) throws Exception {
        List<MigrationVersion> shipped = shippedVersions(dialect);
        MigrationVersion latest = MigrationVersion.fromVersion(SchemaStore.VERSION);
        return shipped.stream().filter(v -> latest.isNewerThan(v)).max(Comparator.naturalOrder()).orElseThrow()
                .getVersion();
    }

    private HikariDataSource newDataSource(Store store) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-migration-layout");
        config.setMaximumPoolSize(2);
        store.dialect().connect(config, dir.resolve("data"), store.url().get(), "postgres", "postgres");
        return new HikariDataSource(config);
    }

    /** The migration files of a folder under {@code db/migration}, by file name. */
    private static Map<String, Path> migrations(String folder) throws IOException, URISyntaxException {
        URL url = MigrationLayoutTest.class.getClassLoader().getResource("db/migration/" + folder);
        assertThat(url).as("db/migration/" + folder + " on the class path").isNotNull();
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of(url.toURI()))) {
            for (Path file : list.filter(p -> p.toString().endsWith(".sql")).toList()) {
                files.put(file.getFileName().toString(), file);
            }
        }
        return files;
    }

    /** The versions named by migration files: {@code V5_1__x.sql} is 5.1. */
    private static List<String> versions(Map<String, Path> files) {
        return files.keySet().stream().map(name -> name.substring(1, name.indexOf("__")).replace('_', '.')).toList();
    }

    private static List<String> history(Flyway flyway) {
        List<String> rows = new ArrayList<>();
        for (MigrationInfo info : flyway.info().applied()) {
            rows.add(info.getVersion() + " " + info.getDescription() + " " + info.getChecksum() + " "
                    + info.getState());
        }
        return rows;
    }
}
