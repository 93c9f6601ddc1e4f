package dev.sluice.core.ingest;

import de.siegmar.fastcsv.reader.CsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The first records of a file, parsed from its decoded first 64 KB, on which the delimiter and the header
 * are decided. Also the one place that configures FastCSV for reading uploads, so the sample and the full
 * pass parse identically.
 */
final class CsvSample {

    /** The delimiters Sluice recognises, in order of preference on a tie. */
    static final char[] DELIMITERS = {',', '\t', ';', '|'};

    private static final int SAMPLE_RECORDS = 50;

    private CsvSample() {
    }

    /**
     * Most characters one cell may hold, in every record: a quote opened and never closed meets this limit
     * instead of swallowing the rest of the file into one cell. The first record must also fit in the
     * {@value FileLoader#SAMPLE_BYTES}-byte sample.
     */
    static final int MAX_CELL_CHARS = 64 * 1024;

    /**
     * A lenient reader handing each record to {@code handler}: ragged rows and text after a closing quote are
     * data, not errors; spaces around a quoted cell are dropped ({@link QuotedCellTrimmer}; FastCSV's relaxed
     * parser would refuse text after a closing quote). Strict where leniency loses rows: a quote still open at
     * the end of the input, or a cell over {@link #MAX_CELL_CHARS}, is a {@link CsvParseException} naming the
     * line its record starts on.
     */
    static <T> CsvReader<T> reader(Reader source, char delimiter, CsvCallbackHandler<T> handler) {
        return builder(delimiter).build(handler, new QuotedCellTrimmer(source, delimiter));
    }

    // Deprecated in FastCSV 4.x in favour of its relaxed parser; without it one stray `"Doe" Jr` cell fails the
    // whole file. Revisit (relaxed parser, measured) before upgrading to a FastCSV that removes it.
    @SuppressWarnings("removal")
    private static CsvReader.CsvReaderBuilder builder(char delimiter) {
        return CsvReader.builder()
                .fieldSeparator(delimiter)
                .skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .allowExtraCharsAfterClosingQuote(true)
                .allowUnclosedQuote(false)
                .maxBufferSize(MAX_CELL_CHARS);
    }

    /**
     * Up to 50 non-blank records of {@code text}. When the text is a cut prefix of the file, the last record
     * may be cut short, so it is dropped; an unclosed quote at the cut just ends the sample.
     */
    static List<List<String>> records(String text, char delimiter, boolean complete) {
        List<List<String>> records = new ArrayList<>();
        // The full pass's record handler, not FastCSV's own: with one handler class the JIT keeps the parser's
        // calls to it direct, where a second class seen at the next file's sample threw away the parser's
        // compiled code at the start of every job after the first (docs/benchmarks.md).
        try (CsvReader<RecordCells> reader = reader(new StringReader(text), delimiter, new RecordCells())) {
            for (RecordCells record : reader) {
                if (!record.isBlank()) {
                    records.add(record.strings());
                    if (records.size() > SAMPLE_RECORDS) {
                        break;
                    }
                }
            }
        } catch (CsvParseException | UncheckedIOException e) {
            // The sample ends where the parser gave up; the full pass reports real problems.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!complete && !records.isEmpty()) {
            records.removeLast();
        }
        return records.size() > SAMPLE_RECORDS ? records.subList(0, SAMPLE_RECORDS) : records;
    }

    /**
     * The delimiter giving the most consistent field count above one over the sample: highest share of
     * records with the most common count, then the higher count, then the order of {@link #DELIMITERS}.
     * Comma when no candidate splits the records at all, as in a one-column list of addresses.
     */
    static char delimiter(String text, boolean complete) {
        char best = ',';
        double bestShare = 0;
        int bestWidth = 1;
        for (char candidate : DELIMITERS) {
            List<List<String>> records = records(text, candidate, complete);
            if (records.isEmpty()) {
                continue;
            }
            int width = modeWidth(records);
            if (width < 2) {
                continue;
            }
            long matching = records.stream().filter(r -> r.size() == width).count();
            double share = (double) matching / records.size();
            if (share > bestShare || (share == bestShare && width > bestWidth)) {
                best = candidate;
                bestShare = share;
                bestWidth = width;
            }
        }
        return best;
    }

    private static int modeWidth(List<List<String>> records) {
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (List<String> record : records) {
            counts.merge(record.size(), 1, Integer::sum);
        }
        int mode = 0;
        int modeCount = 0;
        for (var entry : counts.entrySet()) {
            if (entry.getValue() > modeCount || (entry.getValue() == modeCount && entry.getKey() > mode)) {
                mode = entry.getKey();
                modeCount = entry.getValue();
            }
        }
        return mode;
    }
}
