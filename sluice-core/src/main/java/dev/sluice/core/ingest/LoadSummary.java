package dev.sluice.core.ingest;

import java.util.List;

/**
 * What {@link FileLoader#load} found and wrote.
 *
 * @param columns   output column names: unique, as wide as the widest record seen; header names trimmed,
 *                  or {@code column_1..n} (with the key column named after the required column) when the
 *                  file has no header
 * @param keyColumn 0-based index of the required column in {@code columns}; -1 when none was required
 * @param records   data records written (the header and blank lines are not records)
 * @param chunks    chunk parts written, numbered {@code 0..chunks-1}
 * @param charset   charset the file was decoded with, e.g. {@code UTF-8}, {@code windows-1252}, {@code UTF-16LE}
 * @param delimiter field delimiter of the file: one of {@code , \t ; |}
 * @param header    whether the first record was a header row
 * @param notes     what the loader decided that a user may want to know (a guessed address column, a charset
 *                  revised after the sample), each one sentence; empty for an unremarkable file
 */
public record LoadSummary(List<String> columns, int keyColumn, long records, int chunks,
                          String charset, char delimiter, boolean header, List<String> notes) {

    public LoadSummary {
        columns = List.copyOf(columns);
        notes = List.copyOf(notes);
    }

    /** A summary without notes. */
    public LoadSummary(List<String> columns, int keyColumn, long records, int chunks, String charset, char delimiter,
            boolean header) {
        this(columns, keyColumn, records, chunks, charset, delimiter, header, List.of());
    }
}
