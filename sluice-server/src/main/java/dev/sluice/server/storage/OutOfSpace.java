package dev.sluice.server.storage;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Tells a failure caused by a full disk (or a full database) from any other, by walking its causes:
 * the operating system's "No space left on device" (ENOSPC) or "Disk quota exceeded" (EDQUOT) on a file
 * write, SQLite's {@code SQLITE_FULL}, PostgreSQL's {@code 53100 disk_full}. The API answers these with 507
 * instead of a generic 500, and the task engine backs off instead of retrying at once.
 */
public final class OutOfSpace {

    /** PostgreSQL's SQLSTATE class 53 "insufficient resources": 53100 disk_full. */
    private static final String POSTGRES_DISK_FULL = "53100";

    private OutOfSpace() {
    }

    /** True when {@code failure} or one of its causes says the disk or the database is full. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && saysNoSpace(t.getMessage())) {
                return true;
            }
            if (t instanceof SQLException sql && (POSTGRES_DISK_FULL.equals(sql.getSQLState())
                    || saysDatabaseFull(sql.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean saysNoSpace(String message) {
        if (message == null) {
            return false;
        }
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("no space left on device") || text.contains("disk quota exceeded");
    }

    private static boolean saysDatabaseFull(String message) {
        // sqlite-jdbc: "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)"
        return message != null && message.contains("SQLITE_FULL");
    }
}
