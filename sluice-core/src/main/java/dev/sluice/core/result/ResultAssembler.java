package dev.sluice.core.result;

import de.siegmar.fastcsv.writer.CsvWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Streams result parts written by {@link VerifyPass} into one result file: a prefix, the parts' bytes in
 * order, a suffix. CSV: the header row, then the parts. JSON: {@code [}, the non-empty parts joined by
 * {@code ,}, then {@code ]} and a newline. NDJSON: the parts as they are. No part is parsed or held in
 * memory, so assembling is as fast as copying.
 */
public final class ResultAssembler {

    private ResultAssembler() {
    }

    /** Opens a stream that may fail with an {@link IOException}, e.g. a part in blob storage. */
    @FunctionalInterface
    public interface IOSupplier<T> {

        T get() throws IOException;
    }

    /**
     * Writes the whole result to {@code out}: prefix, each part's bytes copied in order, suffix. Each part
     * stream is opened when its turn comes and closed after copying. {@code out} is flushed, not closed.
     *
     * @param columns the input columns, as given to {@link VerifyPass}; used for the CSV header
     */
    public static void assemble(ResultFormat format, List<String> columns, List<IOSupplier<InputStream>> parts,
                                OutputStream out) throws IOException {
        assemble(format, columns, parts, out, true);
    }

    /**
     * As {@link #assemble(ResultFormat, List, List, OutputStream)}; {@code escapeFormulas} passes the CSV
     * header's names through {@link FormulaGuard}, as {@link VerifyPass} does for the cells.
     */
    public static void assemble(ResultFormat format, List<String> columns, List<IOSupplier<InputStream>> parts,
                                OutputStream out, boolean escapeFormulas) throws IOException {
        Objects.requireNonNull(format, "format");
        switch (format) {
            case CSV -> {
                CsvWriter header = VerifyPass.csvWriter(out);
                List<String> names = ResultColumns.header(columns);
                header.writeRecord(escapeFormulas ? names.stream().map(FormulaGuard::neutralise).toList() : names);
                header.flush();
                copyAll(parts, out);
            }
            case NDJSON -> copyAll(parts, out);
            case JSON -> {
                out.write('[');
                boolean any = false;
                for (IOSupplier<InputStream> supplier : parts) {
                    try (InputStream part = supplier.get()) {
                        // Peek one byte: an empty part must not produce a stray comma.
                        int first = part.read();
                        if (first < 0) {
                            continue;
                        }
                        if (any) {
                            out.write(',');
                        }
                        out.write(first);
                        part.transferTo(out);
                        any = true;
                    }
                }
                out.write(']');
                out.write('\n');
            }
        }
        out.flush();
    }

    private static void copyAll(List<IOSupplier<InputStream>> parts, OutputStream out) throws IOException {
        for (IOSupplier<InputStream> supplier : parts) {
            try (InputStream part = supplier.get()) {
                part.transferTo(out);
            }
        }
    }
}
