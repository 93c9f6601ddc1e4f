package dev.sluice.core.ingest;

import java.util.Objects;

/**
 * What {@link FileLoader} demands of a file.
 *
 * @param requiredColumn name of the column that must be present, e.g. {@code "email"}; matched trimmed and
 *                       case-insensitively, and for {@code "email"} a few common spellings are accepted too
 * @param chunkSize      records per chunk part, e.g. {@value #DEFAULT_CHUNK_SIZE}
 * @param maxRecords     most records a file may hold; {@link Long#MAX_VALUE} means no limit
 */
public record LoadOptions(String requiredColumn, int chunkSize, long maxRecords) {

    /** Records per chunk when the caller has no reason to pick another size. */
    public static final int DEFAULT_CHUNK_SIZE = 10_000;

    public LoadOptions {
        Objects.requireNonNull(requiredColumn, "requiredColumn");
        if (requiredColumn.isBlank()) {
            throw new IllegalArgumentException("requiredColumn must not be blank");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
    }

    /** Required column {@code email}, {@value #DEFAULT_CHUNK_SIZE} records per chunk, no record limit. */
    public static LoadOptions emailDefaults() {
        return new LoadOptions("email", DEFAULT_CHUNK_SIZE, Long.MAX_VALUE);
    }
}
