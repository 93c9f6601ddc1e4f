package dev.sluice.core.ingest;

import java.util.Objects;

/**
 * What {@link FileLoader} demands of a file.
 *
 * @param requiredColumn name of the column that must be present, e.g. {@code "email"}; matched trimmed and
 *                       case-insensitively, and for {@code "email"} a few common spellings are accepted too;
 *                       {@code null} when no column is required (import)
 * @param chunkSize      records per chunk part, e.g. {@value #DEFAULT_CHUNK_SIZE}
 * @param maxRecords     most records a file may hold; {@link Long#MAX_VALUE} means no limit
 * @param header         whether the first record is a header; {@code null} decides from the file (then a
 *                       required column is needed: a file without one is taken as headerless)
 * @param delimiter      the field delimiter, one of {@code , \t ; |}; {@code null} sniffs it from the file
 */
public record LoadOptions(String requiredColumn, int chunkSize, long maxRecords, Boolean header, Character delimiter) {

    /** Records per chunk when the caller has no reason to pick another size. */
    public static final int DEFAULT_CHUNK_SIZE = 20_000;

    public LoadOptions {
        if (requiredColumn != null && requiredColumn.isBlank()) {
            throw new IllegalArgumentException("requiredColumn must not be blank");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
        if (delimiter != null && new String(CsvSample.DELIMITERS).indexOf(delimiter) < 0) {
            throw new IllegalArgumentException("delimiter must be one of , tab ; |, was '" + delimiter + "'");
        }
    }

    /** A required column; header and delimiter decided from the file. */
    public LoadOptions(String requiredColumn, int chunkSize, long maxRecords) {
        this(Objects.requireNonNull(requiredColumn, "requiredColumn"), chunkSize, maxRecords, null, null);
    }

    /**
     * For files whose records are mapped by the caller (import): no required column, the header as the caller
     * says ({@code null}: no header), the delimiter as given or sniffed when {@code null}.
     */
    public static LoadOptions forImport(int chunkSize, long maxRecords, Boolean header, Character delimiter) {
        return new LoadOptions(null, chunkSize, maxRecords, header == null ? Boolean.FALSE : header, delimiter);
    }

    /** Required column {@code email}, {@value #DEFAULT_CHUNK_SIZE} records per chunk, no record limit. */
    public static LoadOptions emailDefaults() {
        return new LoadOptions("email", DEFAULT_CHUNK_SIZE, Long.MAX_VALUE);
    }
}
