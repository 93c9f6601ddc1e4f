package dev.sluice.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * SQLite connections that keep their prepared statements for the next use of the same SQL. SQLite compiles a
 * statement's text on every prepare, and neither its JDBC driver nor the pool keeps them: a
 * {@code GET /api/v1/jobs/{id}} spent a quarter of its CPU compiling the same three queries again. A statement
 * closed by its user is reset (its rows closed, its parameters cleared) and kept, up to {@value #PER_CONNECTION}
 * per connection, the least recently used given up first; a reset statement holds no lock and no snapshot, and
 * SQLite compiles it again by itself when the schema has changed. Two users of one SQL at once on a connection
 * (a query inside another's rows) each get their own statement; the second to close is closed for good.
 *
 * <p>Only statements of forward-only, read-only rows with no row limit and no timeout are kept; others close as
 * usual. Closing the connection closes every statement it kept.
 */
final class SqliteStatementCache {

    /** Statements kept per connection: more than the distinct SQL a node runs often. */
    static final int PER_CONNECTION = 64;

    private SqliteStatementCache() {
    }

    /** A data source of {@code url} with the settings {@code settings} whose connections keep statements. */
    static SQLiteDataSource dataSource(String url, Properties settings) {
        SQLiteDataSource source = new KeepingDataSource(new SQLiteConfig(settings));
        source.setUrl(url);
        return source;
    }

    private static final class KeepingDataSource extends SQLiteDataSource {

        KeepingDataSource(SQLiteConfig config) {
            super(config);
        }

        @Override
        public KeepingConnection getConnection(String username, String password) throws SQLException {
            Properties settings = getConfig().toProperties();
            if (username != null) {
                settings.put("user", username);
            }
            if (password != null) {
                settings.put("pass", password);
            }
            String url = getUrl().trim();
            if (!JDBC.isValidURL(url)) {
                throw new SQLException("invalid database address: " + url);
            }
            return new KeepingConnection(url, url.substring(JDBC.PREFIX.length()), settings);
        }
    }

    /** One connection and the statements it keeps, most recently used last. Used by one thread at a time. */
    static final class KeepingConnection extends JDBC4Connection {

        private final LinkedHashMap<String, KeptStatement> kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, KeptStatement> eldest) {
                if (size() <= PER_CONNECTION) {
                    return false;
                }
                eldest.getValue().closeForGood();
                return true;
            }
        };

        KeepingConnection(String url, String fileName, Properties settings) throws SQLException {
            super(url, fileName, settings);
        }

        @Override
        public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
                throws SQLException {
            if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
                return super.prepareStatement(sql, type, concurrency, holdability);
            }
            checkOpen();
            synchronized (kept) {
                KeptStatement statement = kept.remove(sql);
                if (statement != null) {
                    return statement;
                }
            }
            return new KeptStatement(this, sql);
        }

        /** Keeps {@code statement}, reset, unless the same SQL is kept already; answers whether it was kept. */
        boolean keep(KeptStatement statement) {
            synchronized (kept) {
                return kept.putIfAbsent(statement.sql(), statement) == null;
            }
        }

        /** Statements kept now, for tests. */
        int keptCount() {
            synchronized (kept) {
                return kept.size();
            }
        }

        @Override
        public void close() throws SQLException {
            List<KeptStatement> statements;
            synchronized (kept) {
                statements = new ArrayList<>(kept.values());
                kept.clear();
            }
            for (KeptStatement statement : statements) {
                statement.closeForGood();
            }
            super.close();
        }
    }

    /** A statement that goes back to its connection when closed. */
    static final class KeptStatement extends JDBC4PreparedStatement {

        private final KeepingConnection owner;

        KeptStatement(KeepingConnection owner, String sql) throws SQLException {
            super(owner, sql);
            this.owner = owner;
        }

        String sql() {
            return sql;
        }

        @Override
        public void close() throws SQLException {
            if (pointer.isClosed() || owner.isClosed()) {
                super.close();
                return;
            }
            boolean kept = false;
            try {
                if (getMaxRows() == 0 && getQueryTimeout() == 0) {
                    // closing the rows and resetting the statement ends its read snapshot here, not at the next use
                    rs.close();
                    pointer.safeRunConsume((db, statement) -> db.reset(statement));
                    resultsWaiting = false;
                    clearParameters();
                    clearBatch();
                    clearWarnings();
                    clearGeneratedKeys();
                    kept = owner.keep(this);
                }
            } finally {
                if (!kept) {
                    super.close();
                }
            }
        }

        void closeForGood() {
            try {
                super.close();
            } catch (SQLException e) {
                // the connection is going or the statement was finalised with it: nothing is left to free
            }
        }
    }
}
