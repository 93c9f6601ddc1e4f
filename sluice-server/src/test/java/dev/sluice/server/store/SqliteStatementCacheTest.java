package dev.sluice.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SQLite connections keep their prepared statements: on a real SQLite file, through the pool the server uses,
 * a statement closed by its user comes back for the same SQL reset, with nothing of its last use left (rows,
 * parameters, read snapshot), and what a connection keeps is bounded and freed with it.
 */
class SqliteStatementCacheTest {

    @TempDir
    Path dir;

    private HikariDataSource pool;

    @BeforeEach
    void open() throws SQLException {
        HikariConfig config = new HikariConfig();
        Dialect.SQLITE.connect(config, dir, null, null, null);
        config.setMaximumPoolSize(1);
        pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (n INTEGER, s TEXT)");
            statement.execute("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void the_same_sql_gets_the_same_statement_back_with_new_parameters() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            PreparedStatement first = connection.prepareStatement("SELECT s FROM t WHERE n = ?");
            Object kept = first.unwrap(PreparedStatement.class);
            first.setInt(1, 2);
            assertThat(single(first)).isEqualTo("two");
            first.close();

            try (PreparedStatement second = connection.prepareStatement("SELECT s FROM t WHERE n = ?")) {
                assertThat(second.unwrap(PreparedStatement.class)).isSameAs(kept);
                // the last use's parameter is gone: unbound is NULL, which matches no row
                try (ResultSet rows = second.executeQuery()) {
                    assertThat(rows.next()).isFalse();
                }
                second.setInt(1, 3);
                assertThat(single(second)).isEqualTo("three");
            }
        }
    }

    @Test
    void a_statement_kept_again_on_the_next_borrow_of_the_connection() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        for (int n = 1; n <= 3; n++) {
            assertThat(jdbc.queryForObject("SELECT s FROM t WHERE n = ?", String.class, n))
                    .isEqualTo(List.of("one", "two", "three").get(n - 1));
            jdbc.update("UPDATE t SET s = s WHERE n = ?", n);
        }
        try (Connection connection = pool.getConnection()) {
            assertThat(kept(connection)).isEqualTo(2);
        }
    }

    @Test
    void a_query_inside_the_rows_of_the_same_sql_gets_its_own_statement() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            String sql = "SELECT n FROM t WHERE n >= ? ORDER BY n";
            List<Integer> pairs = new ArrayList<>();
            try (PreparedStatement outer = connection.prepareStatement(sql)) {
                outer.setInt(1, 2);
                try (ResultSet rows = outer.executeQuery()) {
                    while (rows.next()) {
                        try (PreparedStatement inner = connection.prepareStatement(sql)) {
                            assertThat(inner.unwrap(PreparedStatement.class))
                                    .isNotSameAs(outer.unwrap(PreparedStatement.class));
                            inner.setInt(1, rows.getInt(1) + 1);
                            int following = 0;
                            try (ResultSet after = inner.executeQuery()) {
                                while (after.next()) {
                                    following++;
                                }
                            }
                            pairs.add(rows.getInt(1) * 10 + following);
                        }
                    }
                }
            }
            assertThat(pairs).containsExactly(21, 30);
            assertThat(kept(connection)).isEqualTo(1);
        }
    }

    @Test
    void rows_left_open_end_their_snapshot_when_the_statement_is_closed() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            PreparedStatement query = connection.prepareStatement("SELECT n FROM t ORDER BY n");
            ResultSet rows = query.executeQuery();
            assertThat(rows.next()).isTrue();
            // closed in the middle of its rows, without closing them first
            query.close();

            try (Connection writer = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sluice.db"));
                    Statement statement = writer.createStatement()) {
                statement.execute("INSERT INTO t VALUES (4, 'four')");
                // a reader still on its snapshot would make the checkpoint report itself blocked (first column 1)
                try (ResultSet checkpoint = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    assertThat(checkpoint.next()).isTrue();
                    assertThat(checkpoint.getInt(1)).isZero();
                }
            }

            try (PreparedStatement again = connection.prepareStatement("SELECT n FROM t ORDER BY n");
                    ResultSet all = again.executeQuery()) {
                List<Integer> seen = new ArrayList<>();
                while (all.next()) {
                    seen.add(all.getInt(1));
                }
                assertThat(seen).containsExactly(1, 2, 3, 4);
            }
        }
    }

    @Test
    void a_kept_statement_follows_a_change_of_the_schema() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            String sql = "SELECT n, s FROM t WHERE n = ?";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setInt(1, 1);
                assertThat(single(query)).isEqualTo("1");
            }
            try (PreparedStatement all = connection.prepareStatement("SELECT * FROM t");
                    ResultSet rows = all.executeQuery()) {
                assertThat(rows.getMetaData().getColumnCount()).isEqualTo(2);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE t");
                statement.execute("CREATE TABLE t (s TEXT, extra TEXT, n INTEGER)");
                statement.execute("INSERT INTO t VALUES ('uno', 'x', 1)");
            }
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setInt(1, 1);
                try (ResultSet rows = query.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt("n")).isEqualTo(1);
                    assertThat(rows.getString("s")).isEqualTo("uno");
                }
            }
            try (PreparedStatement all = connection.prepareStatement("SELECT * FROM t");
                    ResultSet rows = all.executeQuery()) {
                assertThat(rows.getMetaData().getColumnCount()).isEqualTo(3);
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("extra")).isEqualTo("x");
            }
        }
    }

    @Test
    void a_connection_keeps_a_bounded_number_and_frees_them_when_it_closes() throws SQLException {
        List<PreparedStatement> statements = new ArrayList<>();
        try (Connection connection = pool.getConnection()) {
            for (int i = 0; i < SqliteStatementCache.PER_CONNECTION + 6; i++) {
                PreparedStatement statement = connection.prepareStatement("SELECT n + " + i + " FROM t WHERE n = 1");
                assertThat(Integer.parseInt(single(statement))).isEqualTo(1 + i);
                statement.close();
                statements.add(statement.unwrap(PreparedStatement.class));
            }
            assertThat(kept(connection)).isEqualTo(SqliteStatementCache.PER_CONNECTION);
            // the least recently used went first
            assertThat(statements.get(0).isClosed()).isTrue();
            assertThat(statements.get(statements.size() - 1).isClosed()).isFalse();
        }
        pool.close();
        assertThat(statements).allSatisfy(statement -> assertThat(statement.isClosed()).isTrue());
    }

    private static int kept(Connection connection) throws SQLException {
        return connection.unwrap(SqliteStatementCache.KeepingConnection.class).keptCount();
    }

    private static String single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            assertThat(rows.next()).isTrue();
            String value = rows.getString(1);
            assertThat(rows.next()).isFalse();
            return value;
        }
    }
}
