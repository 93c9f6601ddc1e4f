package dev.sluice.core.ingest;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads chunk parts written by {@link FileLoader}. The part format is UTF-8 CSV with comma delimiter,
 * RFC 4180 quoting (only where needed), LF after each record and no header; records keep their own
 * width. Blank records never occur in a part, so a blank line would be a corruption and is skipped.
 */
public final class ChunkReader {

    private ChunkReader() {
    }

    /**
     * Reads one chunk part and calls {@code consumer} once per record with its fields, in order. The list
     * is valid only during the call. Does not close {@code part}.
     *
     * @return the number of records read
     */
    public static long read(InputStream part, Consumer<List<String>> consumer) throws IOException {
        long count = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(new ShieldedInputStream(part), StandardCharsets.UTF_8)) {
            for (CsvRecord record : reader) {
                consumer.accept(record.getFields());
                count++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count;
    }

    /** The writer for one chunk part; closing it closes {@code part}. */
    static CsvWriter writer(OutputStream part) {
        return CsvWriter.builder()
                .lineDelimiter(LineDelimiter.LF)
                .build(part, StandardCharsets.UTF_8);
    }
}
