package dev.sluice.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction that could not begin because another writer held SQLite's lock past the busy timeout leaves its
 * pooled connection usable: the next transaction on the pool commits. A real SQLite file, a real pool.
 */
class SqliteBusyTest {

    @TempDir
    Path dir;

    @Test
    void a_transaction_after_one_refused_as_busy_commits() throws Exception {
        HikariConfig config = new HikariConfig();
        new SqliteDialect().connect(config, dir, null, null, null);
        ((SQLiteDataSource) config.getDataSource()).getConfig().setBusyTimeout(200);
        // one connection: the refused transaction's connection is the one the next would get
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
            jdbc.execute("CREATE TABLE t (n INTEGER)");

            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sluice.db"));
                    Statement statement = other.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> transaction.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (1)")))
                        .hasStackTraceContaining("SQLITE_BUSY");
                statement.execute("ROLLBACK");
            }

            transaction.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (2)"));
            transaction.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (3)"));

            assertThat(jdbc.queryForList("SELECT n FROM t ORDER BY n", Integer.class)).containsExactly(2, 3);
        }
    }
}
