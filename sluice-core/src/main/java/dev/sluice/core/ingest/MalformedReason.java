package dev.sluice.core.ingest;

import java.util.Locale;

/** Why a whole file was refused. A closed list: each constant is a stable code clients see. */
public enum MalformedReason {

    /** The file has no bytes, or only whitespace and blank lines. */
    EMPTY_FILE,

    /**
     * The file is not text: a known binary signature (PNG, ZIP/XLSX, PDF...), or NUL or control bytes in bulk in
     * any 64 KB of it.
     */
    BINARY_CONTENT,

    /** The file has a header row but not a single data record after it. */
    NO_RECORDS,

    /** No header cell names the required column and no column looks like it holds the addresses. */
    MISSING_COLUMN,

    /** The file holds more records than allowed; reading stopped at the first record over the limit. */
    TOO_MANY_RECORDS,

    /**
     * The bytes cannot be decoded in the sniffed charset, or the CSV structure cannot be parsed: e.g. a quote
     * never closed, or a cell longer than the limit; the message names the line its record starts on.
     */
    UNREADABLE;

    /** Stable snake_case code for APIs and logs, e.g. {@code missing_column}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
