package dev.sluice.core.export;

import dev.sluice.core.result.ResultFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Writes records to a file of one {@link ResultFormat}, one record at a time: nothing but the current
 * record is held, so the file may be far larger than the heap. Values are typed ({@code String},
 * {@code Long}, {@code BigDecimal}, {@code Boolean}, {@code LocalDate}, {@code OffsetDateTime}, or null)
 * and rendered canonically: numbers plain, booleans {@code true}/{@code false}, dates and timestamps
 * ISO-8601 (timestamps in UTC).
 *
 * <ul>
 *   <li>CSV: RFC 4180, UTF-8 without byte-order mark, a header row, CRLF after every record, a field quoted
 *       when it holds a comma, a quote, CR or LF. Null is an empty field (written {@code ""} when it is the
 *       record's only field, since readers skip blank lines). A text cell starting with
 *       {@code =}, {@code +}, {@code -}, {@code @}, tab or CR is neutralised against spreadsheet formula
 *       injection (OWASP "CSV injection") by prefixing a single quote {@code '}, so {@code =1+1} is written
 *       {@code '=1+1}. Typed numbers, such as a negative integer column, are never prefixed: they cannot
 *       be formulas.</li>
 *   <li>JSON: one array of objects, keys in column order; numbers are JSON numbers, booleans JSON
 *       booleans, null JSON null, dates and timestamps strings.</li>
 *   <li>NDJSON: the same objects, one per line, each line ending in LF.</li>
 *   <li>XML: {@code <records><record><column>value</column>...</record></records>} in UTF-8; a null value
 *       has no element. Characters XML 1.0 cannot carry (control characters other than tab, LF and CR,
 *       unpaired surrogates) become U+FFFD; CR is written {@code &#13;} so that parsers keep it.</li>
 * </ul>
 *
 * <p>Call {@link #finish()} once after the last record; it writes the closing bytes and flushes, but never
 * closes the stream, which stays the caller's.
 */
public abstract sealed class ExportWriter permits CsvExportWriter, JsonExportWriter, XmlExportWriter {

    /** Column names in file order; for XML they must be XML names (dataset column names always are). */
    protected final List<String> columns;
    private long records;

    ExportWriter(List<String> columns) {
        this.columns = List.copyOf(columns);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("an export needs at least one column");
        }
    }

    /** A writer of {@code format} for records with {@code columns}; the header, if any, is written at once. */
    public static ExportWriter open(ResultFormat format, List<String> columns, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        return switch (format) {
            case CSV -> new CsvExportWriter(columns, out);
            case JSON -> new JsonExportWriter(columns, out, false);
            case NDJSON -> new JsonExportWriter(columns, out, true);
            case XML -> new XmlExportWriter(columns, out);
        };
    }

    /** Writes one record: {@code values} in column order, as many as there are columns. */
    public final void write(List<?> values) throws IOException {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException("a record of " + values.size() + " values for " + columns.size()
                    + " columns");
        }
        writeRecord(values);
        records++;
    }

    /** Records written so far. */
    public final long records() {
        return records;
    }

    /** Writes what closes the file (array end, root element end) and flushes; the stream stays open. */
    public abstract void finish() throws IOException;

    abstract void writeRecord(List<?> values) throws IOException;
}
