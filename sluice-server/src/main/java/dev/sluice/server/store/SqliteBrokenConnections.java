package dev.sluice.server.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Tells the pool which SQLite failures leave a connection unusable, so that it is closed instead of handed out
 * again. The driver marks a connection as inside a transaction before it runs {@code BEGIN IMMEDIATE}; when that
 * {@code BEGIN} gives up on a busy database (another writer held the lock past the busy timeout), the connection
 * believes it is in a transaction that SQLite never began. From then on every commit and rollback on it failed with
 * "cannot commit - no transaction is active", and the task engine, whose poll took that connection again and
 * again, picked no task until the server restarted. A busy failure, or that message, evicts the connection; every
 * other failure leaves the pool's own judgement.
 */
final class SqliteBrokenConnections implements SQLExceptionOverride {

    // the interface's nested type Override hides the annotation's simple name
    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException failure) {
        // extended codes (SQLITE_BUSY_SNAPSHOT...) keep the primary code in their low byte
        if (failure instanceof SQLiteException sqlite
                && (sqlite.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code) {
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
        String message = failure.getMessage();
        if (message != null && message.contains("no transaction is active")) {
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
