package dev.sluice.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failures mean "the disk or the database is full". */
class OutOfSpaceTest {

    @TempDir
    Path dir;

    @Test
    void sqlite_full_from_a_real_database_is_out_of_space() throws SQLException {
        // given a real SQLite file capped at a few pages: SQLite answers SQLITE_FULL as on a full disk
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("full.db"));
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE t (v TEXT)");
            sql.execute("PRAGMA max_page_count = 3");

            // when it is asked to grow
            Throwable thrown = catchThrowable(() -> {
                for (int i = 0; i < 100; i++) {
                    sql.execute("INSERT INTO t VALUES ('" + "x".repeat(1000) + "')");
                }
            });

            // then, wrapped as callers see it, it is out of space
            assertThat(thrown).isInstanceOf(SQLException.class);
            assertThat(OutOfSpace.causedBy(new IllegalStateException("claim failed", thrown))).isTrue();
        }
    }

    @Test
    void enospc_edquot_and_postgres_disk_full_are_out_of_space() {
        assertThat(OutOfSpace.causedBy(new UncheckedIOException(new IOException("No space left on device")))).isTrue();
        assertThat(OutOfSpace.causedBy(new IOException("Disk quota exceeded"))).isTrue();
        assertThat(OutOfSpace.causedBy(new RuntimeException(new SQLException("could not extend file", "53100")))).isTrue();
    }

    @Test
    void other_failures_are_not() {
        assertThat(OutOfSpace.causedBy(new IOException("Connection reset"))).isFalse();
        assertThat(OutOfSpace.causedBy(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(OutOfSpace.causedBy(new IllegalStateException("no space left on device, said the bug"))).isFalse();
        assertThat(OutOfSpace.causedBy(new IOException((String) null))).isFalse();
    }
}
