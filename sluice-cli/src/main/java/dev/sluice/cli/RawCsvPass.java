package dev.sluice.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

/**
 * The floor a verify job is measured against: FastCSV alone reading every record of a file, appending three
 * cells and writing it again, in this JVM, with no Sluice in between. The bench prints a job's time as a
 * multiple of this pass over the same file, which says more than records per second on a shared machine.
 */
final class RawCsvPass {

    private RawCsvPass() {
    }

    /** Runs the pass from {@code input} to {@code output} and answers how long it took, in nanoseconds. */
    static long run(Path input, Path output) throws IOException {
        long begin = System.nanoTime();
        try (Reader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
             Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
             CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(in);
             CsvWriter writer = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out)) {
            for (CsvRecord record : reader) {
                CsvWriter.CsvWriterRecord row = writer.writeRecord();
                for (String field : record.getFields()) {
                    row.writeField(field);
                }
                row.writeField("valid").writeField("offline_checks_passed").writeField("false").endRecord();
            }
        }
        return System.nanoTime() - begin;
    }
}
