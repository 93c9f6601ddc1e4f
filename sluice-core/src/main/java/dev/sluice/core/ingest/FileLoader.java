package dev.sluice.core.ingest;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads an uploaded CSV/TSV file into chunk parts in one streaming pass.
 *
 * <p>The first 64 KB decide the charset, delimiter and header (see {@link EncodingSniffer},
 * {@link CsvSample}, {@link HeaderLayout}; a plain ASCII sample followed by windows-1252 switches to
 * windows-1252, see {@link DecodingReader}, and every 64 KB is checked for binary content, see
 * {@link BinaryGuard}); then the whole file is parsed once with FastCSV and every
 * non-blank record after the header is written, field by field as read, to chunk parts of
 * {@link LoadOptions#chunkSize()} records in the format {@link ChunkReader} reads. Memory use is bounded by
 * the sample and the parser's buffers, whatever the file size. Thread-safe: holds only its options.
 */
public final class FileLoader {

    static final int SAMPLE_BYTES = 64 * 1024;

    private final LoadOptions options;

    public FileLoader(LoadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Streams {@code in} once (never whole in memory), writes chunk parts through {@code sink} and returns
     * the summary. Does not close {@code in}.
     *
     * @throws MalformedFileException when the file as a whole cannot be loaded; parts written so far are void
     * @throws IOException            when reading {@code in} or writing a part fails
     */
    public LoadSummary load(InputStream in, ChunkSink sink) throws IOException, MalformedFileException {
        return load(in, sink, KeyObserver.NONE);
    }

    /**
     * As {@link #load(InputStream, ChunkSink)}, and hands {@code observer} each data record's row and key cell as
     * the record is written, in row order. When the load fails, what it observed is void like the parts.
     */
    public LoadSummary load(InputStream in, ChunkSink sink, KeyObserver observer)
            throws IOException, MalformedFileException {
        Objects.requireNonNull(observer, "observer");
        byte[] sample = in.readNBytes(SAMPLE_BYTES);
        boolean complete = sample.length < SAMPLE_BYTES;
        if (sample.length == 0) {
            throw new MalformedFileException(MalformedReason.EMPTY_FILE, "the file is empty (0 bytes)");
        }
        EncodingSniffer.Encoding encoding = EncodingSniffer.sniff(sample, sample.length, complete);
        Charset charset = encoding.charset();
        String text = sampleText(sample, encoding, complete);
        if (complete && text.isBlank()) {
            throw new MalformedFileException(MalformedReason.EMPTY_FILE,
                    "the file holds only whitespace (" + sample.length + " bytes) and no records");
        }
        requireMostlyPrintable(text);
        char hinted = separatorHint(text);
        if (hinted != 0) {
            text = text.substring(text.startsWith("\r\n", 5) ? 7 : 6);
        }
        char delimiter = options.delimiter() != null ? options.delimiter()
                : hinted != 0 ? hinted : CsvSample.delimiter(text, complete);
        List<List<String>> records = CsvSample.records(text, delimiter, complete);
        if (records.isEmpty()) {
            if (complete) {
                throw new MalformedFileException(MalformedReason.EMPTY_FILE,
                        "the file holds only blank lines and no records");
            }
            throw new MalformedFileException(MalformedReason.UNREADABLE,
                    "no complete record in the first " + SAMPLE_BYTES + " bytes; either the first record is longer"
                            + " than that or a quote is never closed. Check the file's quoting and upload again");
        }
        HeaderLayout layout = HeaderLayout.decide(records, options.requiredColumn(), options.header());

        InputStream body = new SequenceInputStream(
                new ByteArrayInputStream(sample, encoding.bomLength(), sample.length - encoding.bomLength()), in);
        Pass pass = new Pass(sink, (layout.header() ? 1 : 0) + (hinted != 0 ? 1 : 0), layout, observer);
        boolean utf16 = charset.equals(StandardCharsets.UTF_16LE) || charset.equals(StandardCharsets.UTF_16BE);
        InputStream guarded = utf16 ? new ShieldedInputStream(body)
                : new BinaryGuard(new ShieldedInputStream(body), encoding.bomLength());
        List<String> notes = new ArrayList<>(layout.notes());
        try (DecodingReader reader = new DecodingReader(guarded, charset, encoding.bomLength());
             CsvReader<RecordCells> csv = CsvSample.reader(reader, delimiter, new RecordCells())) {
            pass.run(csv);
            pass.closeLastChunk();
            if (reader.fallbackOffset() >= 0) {
                charset = reader.charset();
                notes.add("read as " + charset.name() + ": the first " + SAMPLE_BYTES / 1024 + " KB are plain ASCII"
                        + " and byte offset " + reader.fallbackOffset() + " is not UTF-8");
            }
        } catch (BinaryGuard.BinaryContentException e) {
            throw new MalformedFileException(MalformedReason.BINARY_CONTENT, "the file looks binary after record "
                    + pass.records + " (" + e.getMessage() + "), not CSV text; export the data as CSV (UTF-8) and"
                    + " upload that");
        } catch (DecodingReader.UndecodableInputException e) {
            throw new MalformedFileException(MalformedReason.UNREADABLE, "the file is not valid " + charset.name()
                    + ": " + e.getMessage() + " (after record " + pass.records + "). The first "
                    + SAMPLE_BYTES / 1024 + " KB were read as " + charset.name()
                    + "; re-save the whole file in one encoding, preferably UTF-8, and upload again");
        } catch (CsvParseException e) {
            throw new MalformedFileException(MalformedReason.UNREADABLE, parseFailure(e, pass.records));
        } finally {
            pass.closeChunk();
        }
        if (pass.records == 0) {
            throw new MalformedFileException(MalformedReason.NO_RECORDS,
                    "the file has a header " + layout.names() + " but no records after it");
        }
        return new LoadSummary(layout.widenedTo(pass.width), layout.keyColumn(), pass.records, pass.chunks,
                charset.name(), delimiter, layout.header(), notes);
    }

    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    /** What a user fixing the file needs: the line the bad record starts on, and what is wrong with it. */
    static String parseFailure(CsvParseException e, long records) {
        String text = String.valueOf(e.getMessage());
        Matcher line = LINE.matcher(text);
        String where = line.find() ? "the record starting on line " + line.group(1) : "record " + (records + 1);
        if (text.startsWith("Unclosed quoted field")) {
            return "a quote opened in " + where + " is never closed, so the rest of the file would be one cell"
                    + " (" + records + " records read before it). Close or remove the quote and upload again";
        }
        if (text.contains("maximum buffer size")) {
            return "a cell in " + where + " is longer than " + CsvSample.MAX_CELL_CHARS + " characters, the most"
                    + " allowed; usually a quote opened there is never closed (" + records + " records read before"
                    + " it). Close or remove the quote and upload again";
        }
        return "the CSV structure cannot be parsed at " + where + " (after record " + records + "): " + text
                + ". Check for an unclosed quote and upload again";
    }

    private static String sampleText(byte[] sample, EncodingSniffer.Encoding encoding, boolean complete) {
        String text = new String(sample, encoding.bomLength(), sample.length - encoding.bomLength(),
                encoding.charset());
        if (complete) {
            return text;
        }
        // Cut at the last line break so the sample does not end in half a character or half a line.
        int cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
        return cut < 0 ? "" : text.substring(0, cut + 1);
    }

    /**
     * The delimiter named by an Excel {@code sep=;} first line, or 0. Excel writes it in regions where the
     * list separator is not a comma; it is an instruction, not a record.
     */
    private static char separatorHint(String text) {
        if (text.length() < 6 || !text.regionMatches(true, 0, "sep=", 0, 4)
                || (text.charAt(5) != '\n' && text.charAt(5) != '\r')) {
            return 0;
        }
        char hinted = text.charAt(4);
        for (char candidate : CsvSample.DELIMITERS) {
            if (candidate == hinted) {
                return hinted;
            }
        }
        return 0;
    }

    private static void requireMostlyPrintable(String text) throws MalformedFileException {
        int control = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                control++;
            }
        }
        // Catches binary content that decoded as UTF-16, where the byte-level check does not apply.
        if (control * 20L > text.length()) {
            throw new MalformedFileException(MalformedReason.BINARY_CONTENT, "the file looks binary (" + control
                    + " control characters in the first " + text.length() + " characters), not CSV text;"
                    + " export the data as CSV (UTF-8) and upload that");
        }
    }

    /** The state of one streaming pass: counters and the chunk part being written. */
    private final class Pass {

        private final ChunkSink sink;
        private final HeaderLayout layout;
        private final int keyColumn;
        private final KeyObserver observer;
        private int skip;
        private long records;
        private int width;
        private int chunks;
        private int inChunk;
        private ChunkWriter writer;

        /**
         * {@code skip}: leading non-blank records that are not data (a {@code sep=} line, the header);
         * {@code layout}: its key column is the cell {@code observer} sees, -1 for none.
         */
        Pass(ChunkSink sink, int skip, HeaderLayout layout, KeyObserver observer) {
            this.sink = sink;
            this.skip = skip;
            this.layout = layout;
            this.keyColumn = layout.keyColumn();
            this.observer = observer;
        }

        void run(CsvReader<RecordCells> csv) throws IOException, MalformedFileException {
            try {
                for (RecordCells cells : csv) {
                    if (cells.isBlank()) {
                        continue;
                    }
                    if (skip > 0) {
                        skip--;
                        continue;
                    }
                    write(cells);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        private void write(RecordCells cells) throws IOException, MalformedFileException {
            if (records == options.maxRecords()) {
                throw new MalformedFileException(MalformedReason.TOO_MANY_RECORDS, "the file has more than "
                        + options.maxRecords() + " records, the most allowed; split it and upload the parts");
            }
            if (writer == null) {
                writer = ChunkReader.writer(sink.open(chunks));
                chunks++;
            }
            writer.writeRecord(cells);
            records++;
            if (keyColumn >= 0 && keyColumn < cells.size()) {
                observer.record(records, cells.chars(), cells.start(keyColumn), cells.end(keyColumn));
            } else {
                observer.record(records, "");
            }
            width = Math.max(width, cells.size());
            if (++inChunk == options.chunkSize()) {
                closeChunk();
                sink.closed(chunks - 1, options.chunkSize(), layout.widenedTo(width), keyColumn);
            }
        }

        /** Closes the last chunk after the whole input was read, and tells the sink. */
        void closeLastChunk() throws IOException {
            if (writer != null) {
                int records = inChunk;
                closeChunk();
                sink.closed(chunks - 1, records, layout.widenedTo(width), keyColumn);
            }
        }

        void closeChunk() throws IOException {
            if (writer != null) {
                ChunkWriter full = writer;
                writer = null;
                inChunk = 0;
                full.close();
            }
        }
    }
}
