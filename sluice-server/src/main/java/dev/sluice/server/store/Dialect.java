package dev.sluice.server.store;

/** The SQL databases Sluice runs on. Dialect differences are kept here and in the migration folders. */
public enum Dialect {
    /** An SQLite file, the embedded default. */
    SQLITE("sqlite"),
    /** PostgreSQL, for several nodes sharing one store. */
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The migration folder of this dialect under {@code db/migration}. */
    public String folder() {
        return folder;
    }

    public static Dialect fromJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new IllegalArgumentException(
                "unsupported database URL '" + url + "': use jdbc:postgresql://host/db, or leave it empty for SQLite");
    }
}
