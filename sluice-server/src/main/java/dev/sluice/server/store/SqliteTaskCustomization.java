package dev.sluice.server.store;

import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;

/**
 * db-scheduler on SQLite: SQLite limits rows with {@code LIMIT n}, not the ANSI {@code FETCH FIRST}.
 * Timestamps go through the driver's default mapping (epoch milliseconds), which compares correctly.
 */
final class SqliteTaskCustomization extends DefaultJdbcCustomization {

    SqliteTaskCustomization() {
        super(false);
    }

    @Override
    public String getName() {
        return "SQLite";
    }

    @Override
    public boolean supportsExplicitQueryLimitPart() {
        return true;
    }

    @Override
    public String getQueryLimitPart(int limit) {
        return " LIMIT " + limit;
    }
}
