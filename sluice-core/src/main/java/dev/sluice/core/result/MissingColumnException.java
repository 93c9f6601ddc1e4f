package dev.sluice.core.result;

/** A result lacks a column a reader needs, e.g. {@code sluice_safe_to_send} in a result written before it existed. */
public final class MissingColumnException extends RuntimeException {

    private final String column;

    public MissingColumnException(String column) {
        super("the result has no " + column + " column");
        this.column = column;
    }

    /** The missing column's name. */
    public String column() {
        return column;
    }
}
