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

    /** The SQL type storing values of a dataset column type (see {@code DatasetValues} for the mapping). */
    public String sqlType(dev.sluice.core.dataset.ColumnType type) {
        return switch (type) {
            case STRING, EMAIL -> "TEXT";
            case INTEGER -> this == SQLITE ? "INTEGER" : "BIGINT";
            // SQLite has no exact decimal type: the canonical text keeps every digit
            case DECIMAL -> this == SQLITE ? "TEXT" : "NUMERIC";
            case BOOLEAN -> this == SQLITE ? "INTEGER" : "BOOLEAN";
            case DATE -> this == SQLITE ? "TEXT" : "DATE";
            case TIMESTAMP -> this == SQLITE ? "TEXT" : "TIMESTAMPTZ";
        };
    }

    /** The definition of an auto-numbered primary key column. */
    public String identityColumn(String name) {
        return this == SQLITE ? name + " INTEGER PRIMARY KEY AUTOINCREMENT"
                : name + " BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
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
