package dev.sluice.server.store;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.sqlite.SQLiteException;

/**
 * SQLite reports constraint violations by result code, without an SQL state, so Spring's defaults
 * would not recognise a unique violation. Registered through {@code sql-error-codes.xml}; PostgreSQL
 * is translated from its SQL state as usual.
 */
public class SqliteExceptionTranslator implements SQLExceptionTranslator {

    @Override
    public DataAccessException translate(String task, String sql, SQLException ex) {
        if (!(ex instanceof SQLiteException sqlite)) {
            return null;
        }
        String message = task + "; SQL [" + sql + "]; " + ex.getMessage();
        return switch (sqlite.getResultCode()) {
            case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> new DuplicateKeyException(message, ex);
            case SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_FOREIGNKEY, SQLITE_CONSTRAINT_NOTNULL, SQLITE_CONSTRAINT_CHECK ->
                    new DataIntegrityViolationException(message, ex);
            default -> null;
        };
    }
}
