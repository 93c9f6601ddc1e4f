package dev.sluice.core.result;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.core.ingest.ChunkCells;
import dev.sluice.core.ingest.ChunkReader;
import dev.sluice.core.verify.ChunkVerifier;
import dev.sluice.core.verify.DuplicateKey;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictScore;
import dev.sluice.core.verify.VerdictStatus;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Verifies the records of one chunk part and writes one result row per record to a result part.
 *
 * <p>Each row carries every input column, padded with empty cells to {@code columns.size()}, then
 * {@code sluice_row}, {@code sluice_status}, {@code sluice_reason}, {@code sluice_email} (normalised, or
 * empty when invalid), {@code sluice_role}, {@code sluice_disposable}, {@code sluice_free},
 * {@code sluice_suggestion} (empty when none), {@code sluice_cached}, {@code sluice_provider} (empty
 * when DNS did not run or found no mail server), {@code sluice_score} and {@code sluice_safe_to_send} (both
 * from {@link VerdictScore}, at write time) and {@code sluice_duplicate_of} (the {@code sluice_row} of the
 * first row holding the same address, empty or null when this row is the first or the only one: see
 * {@link ChunkDuplicates}; a copy gets its first copy's verdict unverified). The whole chunk is verified at
 * once, so the verifier can group addresses by domain and work on them concurrently. Part bytes, chosen so that {@link ResultAssembler} only
 * concatenates: CSV rows without header, each ending in LF; JSON objects separated by commas with no
 * bracket and no leading or trailing comma; NDJSON objects each ending in LF. An empty chunk gives an
 * empty part. CSV text cells (input cells, {@code sluice_email}, {@code sluice_suggestion}) go through
 * {@link FormulaGuard} unless formulas are kept raw. Immutable and thread-safe; {@link #run} may be called concurrently for different chunks.
 */
public final class VerifyPass {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // Separators between objects are written explicitly, per format.
            .rootValueSeparator((String) null)
            .build();

    private static final SerializedString ROW = new SerializedString(ResultColumns.ROW);
    private static final SerializedString STATUS = new SerializedString(ResultColumns.STATUS);
    private static final SerializedString REASON = new SerializedString(ResultColumns.REASON);
    private static final SerializedString EMAIL = new SerializedString(ResultColumns.EMAIL);
    private static final SerializedString ROLE = new SerializedString(ResultColumns.ROLE);
    private static final SerializedString DISPOSABLE = new SerializedString(ResultColumns.DISPOSABLE);
    private static final SerializedString FREE = new SerializedString(ResultColumns.FREE);
    private static final SerializedString SUGGESTION = new SerializedString(ResultColumns.SUGGESTION);
    private static final SerializedString CACHED = new SerializedString(ResultColumns.CACHED);
    private static final SerializedString PROVIDER = new SerializedString(ResultColumns.PROVIDER);
    private static final SerializedString SCORE = new SerializedString(ResultColumns.SCORE);
    private static final SerializedString SAFE_TO_SEND = new SerializedString(ResultColumns.SAFE_TO_SEND);
    private static final SerializedString DUPLICATE_OF = new SerializedString(ResultColumns.DUPLICATE_OF);

    private final ChunkVerifier verifier;
    private final ResultFormat format;
    private final List<String> columns;
    private final SerializableString[] names;
    private final int emailColumn;

    private final boolean escapeFormulas;

    /** As {@link #VerifyPass(ChunkVerifier, ResultFormat, List, int, boolean)} with formulas escaped. */
    public VerifyPass(ChunkVerifier verifier, ResultFormat format, List<String> columns, int emailColumn) {
        this(verifier, format, columns, emailColumn, true);
    }

    /**
     * @param escapeFormulas whether CSV text cells are passed through {@link FormulaGuard} (JSON is never
     *                       changed); false keeps every cell exactly as read
     */
    public VerifyPass(ChunkVerifier verifier, ResultFormat format, List<String> columns, int emailColumn,
                      boolean escapeFormulas) {
        this.escapeFormulas = escapeFormulas;
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.format = Objects.requireNonNull(format, "format");
        this.columns = List.copyOf(columns);
        if (emailColumn < 0 || emailColumn >= this.columns.size()) {
            throw new IllegalArgumentException("emailColumn " + emailColumn + " is outside the "
                    + this.columns.size() + " columns " + this.columns);
        }
        this.emailColumn = emailColumn;
        this.names = new SerializableString[this.columns.size()];
        for (int i = 0; i < names.length; i++) {
            // Pre-encoded once: names are repeated on every row of every chunk.
            names[i] = new SerializedString(this.columns.get(i));
        }
    }

    /**
     * Reads a chunk part ({@link ChunkReader} format), verifies each record's email cell, writes one output
     * row per record to {@code part} and returns the counts. {@code firstRow} is the 1-based
     * {@code sluice_row} of the part's first record. Closes neither stream; {@code part} is flushed.
     */
    public VerifyCounts run(InputStream chunkPart, long firstRow, OutputStream part) throws IOException {
        return run(chunkPart, firstRow, part, ChunkDuplicates.NONE, new Sink() {
        });
    }

    /**
     * As {@link #run(InputStream, long, OutputStream)}, and every row whose verdict {@code marked} accepts is
     * also handed to {@code marks} with where its bytes lie in the part, so that a later answer can replace
     * just those bytes ({@link PartPatches}) with {@link #render} of the same record.
     */
    public VerifyCounts run(InputStream chunkPart, long firstRow, OutputStream part, Predicate<Verdict> marked,
            Consumer<MarkedRow> marks) throws IOException {
        return run(chunkPart, firstRow, part, ChunkDuplicates.NONE, new Sink() {
            @Override
            public boolean marks(Verdict verdict) {
                return marked.test(verdict);
            }

            @Override
            public void marked(MarkedRow row) {
                marks.accept(row);
            }
        });
    }

    /**
     * What a run hands out besides the part, beyond the counts; every method does nothing by default.
     */
    public interface Sink {

        /**
         * A first copy the run's duplicates keep ({@link ChunkDuplicates#keeps}), with its key and verdict, which
         * later chunks' copies take.
         */
        default void kept(long row, String key, Verdict verdict) {
        }

        /** Whether the row written with {@code verdict} is to be {@link #marked}. */
        default boolean marks(Verdict verdict) {
            return false;
        }

        /** A row {@link #marks} accepted, with where its bytes lie in the part. */
        default void marked(MarkedRow row) {
        }

        /** A copy of an earlier chunk's row, written without its verdict columns: see {@link LaterCopies}. */
        default void later(LaterCopies.Copy copy) {
        }

        /** Where the rows written with a verdict are counted for the result's report; null: nowhere. */
        default ResultReport.Tally report() {
            return null;
        }
    }

    /**
     * A {@link Sink} that keeps what runs hand out: the first copies later chunks repeat, the copies left to the
     * assembly, both in row order, and the report's tally. Extend it to mark rows as well.
     */
    public static class HandedOut implements Sink {

        private final ChunkDuplicates.FirstCopies kept = new ChunkDuplicates.FirstCopies();
        private final List<LaterCopies.Copy> later = new ArrayList<>();
        private final ResultReport.Tally report = new ResultReport.Tally();

        @Override
        public void kept(long row, String key, Verdict verdict) {
            kept.add(row, key, verdict);
        }

        @Override
        public void later(LaterCopies.Copy copy) {
            later.add(copy);
        }

        @Override
        public ResultReport.Tally report() {
            return report;
        }

        /** The first copies handed out, in row order. */
        public ChunkDuplicates.FirstCopies keptFirstCopies() {
            return kept;
        }

        /** The copies of earlier chunks' rows, written without their verdict columns. */
        public List<LaterCopies.Copy> laterCopies() {
            return later;
        }
    }

    /**
     * As {@link #run(InputStream, long, OutputStream)}, verifying each address once across the batch. A row of
     * {@code duplicates} whose first copy is an earlier row of this chunk with the same key takes that
     * row's verdict unverified. A row whose first copy is in an earlier chunk is neither verified nor given a
     * verdict here: its row is written without the verdict columns and handed to {@link Sink#later}, and the
     * assembly puts in its first copy's final verdict ({@link LaterCopies}), so no chunk waits for another. The
     * verdicts of the first copies {@code duplicates} keeps go to {@link Sink#kept}. Rows {@link Sink#marks}
     * accepts, copies of this chunk included (with their {@link MarkedRow#duplicateOf}), go to {@link Sink#marked}.
     */
    public VerifyCounts run(InputStream chunkPart, long firstRow, OutputStream part, ChunkDuplicates duplicates,
            Sink sink) throws IOException {
        if (firstRow < 1) {
            throw new IllegalArgumentException("firstRow is 1-based, was " + firstRow);
        }
        CountingStream counted = new CountingStream(part);
        RowWriter writer = format == ResultFormat.CSV ? new CsvRows(counted) : new JsonRows(counted, format);
        Tally tally = new Tally(firstRow);
        // cells as bytes: a CSV row copies them as they are, the address alone becomes a string
        ChunkCells records = ChunkReader.readCells(chunkPart);
        // Each loop is a method of its own: the JIT then compiles a small method per loop while a first job runs,
        // instead of this whole method again at each loop's back edge (docs/benchmarks.md).
        List<String> cells = emailCells(records);
        long[] duplicateOf = new long[cells.size()];
        Verdict[] verdicts = new Verdict[cells.size()];
        int[] verified = findCopies(cells, firstRow, duplicates, duplicateOf);
        List<String> distinct = new ArrayList<>(verified.length);
        for (int i : verified) {
            distinct.add(cells.get(i));
        }
        List<Verdict> answered = verifier.verifyAll(distinct);
        if (answered.size() != distinct.size()) {
            throw new IllegalStateException("the verifier answered " + answered.size() + " verdicts for "
                    + distinct.size() + " records");
        }
        for (int k = 0; k < verified.length; k++) {
            verdicts[verified[k]] = answered.get(k);
        }
        settleCopies(cells, firstRow, duplicates, duplicateOf, verdicts, sink);
        try {
            writeRows(records, cells, verdicts, duplicateOf, writer, counted, tally, sink);
            writer.finish();
            part.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (JacksonIOException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return tally.counts();
    }

    /** Each record's email cell, or an empty one when the record is too short to hold it. */
    private List<String> emailCells(ChunkCells records) {
        List<String> cells = new ArrayList<>(records.records());
        for (int r = 0; r < records.records(); r++) {
            cells.add(emailColumn < records.size(r) ? records.text(r, emailColumn) : "");
        }
        return cells;
    }

    /**
     * Sets {@code duplicateOf} of every copy of an earlier row ({@link ChunkDuplicates#firstOf}) and answers the
     * positions of the records left to verify.
     */
    private static int[] findCopies(List<String> cells, long firstRow, ChunkDuplicates duplicates,
            long[] duplicateOf) {
        int[] verified = new int[cells.size()];
        int count = 0;
        for (int i = 0; i < cells.size(); i++) {
            long first = duplicates.firstOf(firstRow + i);
            if (first != 0 && first >= firstRow && first < firstRow + i && Objects.equals(
                    DuplicateKey.of(cells.get(i)), DuplicateKey.of(cells.get((int) (first - firstRow))))) {
                duplicateOf[i] = first;
                continue;
            }
            if (first != 0 && first < firstRow) {
                // the index that named the first copy tells addresses apart by 88 bits: see DuplicateIndex
                duplicateOf[i] = first;
                continue;
            }
            verified[count++] = i;
        }
        return Arrays.copyOf(verified, count);
    }

    /**
     * Gives each copy of an earlier row of this chunk that row's verdict, and hands the first copies
     * {@code duplicates} keeps to {@link Sink#kept}.
     */
    private static void settleCopies(List<String> cells, long firstRow, ChunkDuplicates duplicates,
            long[] duplicateOf, Verdict[] verdicts, Sink sink) {
        for (int i = 0; i < cells.size(); i++) {
            if (verdicts[i] == null && duplicateOf[i] >= firstRow) {
                // a copy of an earlier row of this chunk, which was verified (a first copy is never a copy)
                verdicts[i] = verdicts[(int) (duplicateOf[i] - firstRow)];
            }
            if (duplicateOf[i] == 0 && duplicates.keeps(firstRow + i)) {
                String key = DuplicateKey.of(cells.get(i));
                if (key != null) {
                    sink.kept(firstRow + i, key, verdicts[i]);
                }
            }
        }
    }

    /** Writes every record's row, counting it; a copy of an earlier chunk's row goes to {@link Sink#later}. */
    private static void writeRows(ChunkCells records, List<String> cells, Verdict[] verdicts,
            long[] duplicateOf, RowWriter writer, CountingStream counted, Tally tally, Sink sink) throws IOException {
        long[] span = new long[2];
        ResultReport.Tally report = sink.report();
        for (int i = 0; i < records.records(); i++) {
            Verdict verdict = verdicts[i];
            writer.separate();
            if (verdict == null) {
                writer.row(records, i, tally.row, null, duplicateOf[i], span, counted);
                sink.later(new LaterCopies.Copy(tally.row, duplicateOf[i], span[0]));
                tally.later();
                continue;
            }
            boolean mark = sink.marks(verdict);
            long start = mark ? writer.position(counted) : 0;
            writer.row(records, i, tally.row, verdict, duplicateOf[i], null, counted);
            if (mark) {
                sink.marked(new MarkedRow(tally.row, cells.get(i), records.fields(i), verdict, duplicateOf[i],
                        start, writer.position(counted)));
            }
            tally.count(verdict.status(), duplicateOf[i] != 0);
            if (report != null) {
                report.add(verdict, cells.get(i));
            }
        }
    }

    /**
     * The bytes one record's row takes in a part of this pass's format: for CSV its line with the LF, for
     * NDJSON its object with the LF, for JSON its object without a separating comma; exactly the bytes a
     * {@link #run} would have written for that record with that verdict (a row that is no copy).
     */
    public byte[] render(List<String> fields, long row, Verdict verdict) throws IOException {
        return render(fields, row, verdict, 0);
    }

    /** As {@link #render(List, long, Verdict)} for a copy of row {@code duplicateOf} (0: no copy). */
    public byte[] render(List<String> fields, long row, Verdict verdict, long duplicateOf) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        CountingStream counted = new CountingStream(out);
        RowWriter writer = format == ResultFormat.CSV ? new CsvRows(counted) : new JsonRows(counted, format);
        try {
            writer.row(ChunkCells.of(fields), 0, row, verdict, duplicateOf, null, counted);
            writer.finish();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out.toByteArray();
    }

    /**
     * Renders the verdict columns alone, {@code sluice_status} to {@code sluice_safe_to_send}, with what separates
     * them from the row number before: the bytes {@link LaterCopies} puts into a copy's row at the place
     * {@link Sink#later} gave. Reuses its buffers; one thread at a time.
     */
    public final class VerdictColumns {

        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        private final CountingStream counted = new CountingStream(out);
        private final ChunkCells blank = ChunkCells.of(java.util.Collections.nCopies(columns.size(), ""));
        private final long[] span = new long[2];
        private final RowWriter writer =
                format == ResultFormat.CSV ? new CsvRows(counted) : new JsonRows(counted, format);

        /** The columns' bytes for {@code verdict}. */
        public byte[] of(Verdict verdict) throws IOException {
            out.reset();
            counted.count = 0;
            try {
                writer.row(blank, 0, 1, Objects.requireNonNull(verdict, "verdict"), 0, span, counted);
                writer.offset(counted); // flushes the row, keeping the writer for the next
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return Arrays.copyOfRange(out.toByteArray(), (int) span[0], (int) span[1]);
        }
    }

    /** A renderer of verdict columns for {@link LaterCopies}. */
    public VerdictColumns verdictColumns() {
        return new VerdictColumns();
    }

    /**
     * A row {@link #run} was asked to mark: its record, the verdict written, and its bytes in the part,
     * {@code start} inclusive to {@code end} exclusive (the same bytes {@link #render} answers).
     *
     * @param row         the 1-based {@code sluice_row}
     * @param cell        the record's email cell as read
     * @param fields      the record's cells as read
     * @param duplicateOf the first copy's row when this row is a copy, else 0
     */
    public record MarkedRow(long row, String cell, List<String> fields, Verdict verdict, long duplicateOf, long start,
            long end) {
    }

    /**
     * Counts the bytes that reach the part, so a row's place in it is known. The writers flush into it to learn
     * a place, so it passes no flush on: the run flushes the part once, at its end.
     */
    private static final class CountingStream extends java.io.FilterOutputStream {

        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() {
        }
    }

    /** Counters of one run, and the row number of the next record. */
    private static final class Tally {

        long row;
        long valid;
        long invalid;
        long acceptAll;
        long unknown;
        long duplicates;
        long later;
        private final long firstRow;

        Tally(long firstRow) {
            this.firstRow = firstRow;
            this.row = firstRow;
        }

        void count(VerdictStatus status, boolean duplicate) {
            if (duplicate) {
                duplicates++;
            }
            switch (status) {
                case VALID -> valid++;
                case INVALID -> invalid++;
                case ACCEPT_ALL -> acceptAll++;
                case UNKNOWN -> unknown++;
            }
            row++;
        }

        /** A copy whose verdict the assembly puts in. */
        void later() {
            later++;
            duplicates++;
            row++;
        }

        VerifyCounts counts() {
            return new VerifyCounts(row - firstRow, valid, invalid, acceptAll, unknown, duplicates, later);
        }
    }

    /** Writes result rows in one format; I/O failures surface unchecked from inside the record callback. */
    private interface RowWriter {

        /** Writes what goes between the previous row and the next one (JSON: a comma). */
        default void separate() {
        }

        /**
         * Writes record {@code record} of {@code cells}. {@code duplicateOf}: the first copy's row, 0 when none. A
         * null {@code verdict} leaves its columns out. With a {@code span}, the places in {@code counted} where the
         * verdict columns start and end go there.
         */
        void row(ChunkCells cells, int record, long row, Verdict verdict, long duplicateOf, long[] span,
                CountingStream counted);

        /** Flushes and answers how many bytes reached {@code counted} so far. */
        long offset(CountingStream counted);

        /** How many bytes were written so far, those the writer still holds included: where the next byte goes. */
        default long position(CountingStream counted) {
            return offset(counted);
        }

        /** Writes the columns {@code sluice_status} to {@code sluice_safe_to_send} of {@code verdict}. */
        void verdictFields(Verdict verdict);

        /**
         * Writes the verdict columns, none for a null {@code verdict}; with a {@code span}, the places in
         * {@code counted} where they start and end go there.
         */
        default void verdictColumns(Verdict verdict, long[] span, CountingStream counted) {
            if (span != null) {
                span[0] = position(counted);
            }
            if (verdict != null) {
                verdictFields(verdict);
            }
            if (span != null) {
                span[1] = verdict == null ? span[0] : position(counted);
            }
        }

        void finish() throws IOException;
    }

    private final class CsvRows implements RowWriter {

        private static final int REASONS = dev.sluice.core.verify.Reason.values().length;

        private final CsvRowWriter csv;
        /**
         * The verdict columns but the address and the suggestion come in three runs of words, each written from
         * bytes made once: status and reason (by their ordinals), the three flags (by their bits), and cached,
         * provider, score and safe-to-send (without a provider by the other three; with one, the last run's, kept
         * while rows repeat it).
         */
        private final byte[][] heads = new byte[VerdictStatus.values().length * REASONS][];
        private final byte[][] flags = new byte[8][];
        private final byte[][] tails = new byte[4 * (VerdictScore.MAX + 1)][];
        private byte[] providerTail;
        private int providerTailKey = -1;
        private String tailProvider;
        private final Words words = new Words();

        CsvRows(OutputStream out) {
            this.csv = new CsvRowWriter(out);
        }

        @Override
        public void row(ChunkCells cells, int record, long row, Verdict verdict, long duplicateOf, long[] span,
                CountingStream counted) {
            try {
                int present = Math.min(cells.size(record), columns.size());
                byte[] bytes = cells.bytes();
                for (int i = 0; i < present; i++) {
                    csv.field(bytes, cells.start(record, i), cells.end(record, i), escapeFormulas);
                }
                for (int i = present; i < columns.size(); i++) {
                    csv.field("");
                }
                csv.field(row);
                verdictColumns(verdict, span, counted);
                if (duplicateOf == 0) {
                    csv.field("");
                } else {
                    csv.field(duplicateOf);
                }
                csv.endRecord();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void verdictFields(Verdict verdict) {
            try {
                writeVerdictFields(verdict);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writeVerdictFields(Verdict verdict) throws IOException {
            csv.fields(head(verdict), 2)
                    .field(verdict.normalized() == null ? "" : cell(verdict.normalized()))
                    .fields(flags(verdict), 3)
                    .field(verdict.suggestion() == null ? "" : cell(verdict.suggestion()))
                    .fields(tail(verdict), 4);
        }

        private byte[] head(Verdict verdict) throws IOException {
            int k = verdict.status().ordinal() * REASONS + verdict.reason().ordinal();
            byte[] head = heads[k];
            if (head == null) {
                // statuses, reason codes and booleans are words that need no quoting (CsvRowWriterTest holds them to it)
                head = words.of(writer -> writer.word(verdict.status().wire()).word(verdict.reason().code()));
                heads[k] = head;
            }
            return head;
        }

        private byte[] flags(Verdict verdict) throws IOException {
            int k = (verdict.role() ? 4 : 0) | (verdict.disposable() ? 2 : 0) | (verdict.free() ? 1 : 0);
            byte[] flag = flags[k];
            if (flag == null) {
                flag = words.of(writer -> writer.word(verdict.role() ? "true" : "false")
                        .word(verdict.disposable() ? "true" : "false")
                        .word(verdict.free() ? "true" : "false"));
                flags[k] = flag;
            }
            return flag;
        }

        private byte[] tail(Verdict verdict) throws IOException {
            int score = VerdictScore.score(verdict);
            boolean safe = VerdictScore.safeToSend(verdict);
            int key = ((verdict.cached() ? 2 : 0) | (safe ? 1 : 0)) * (VerdictScore.MAX + 1) + score;
            String provider = verdict.provider();
            if (provider == null) {
                byte[] tail = tails[key];
                if (tail == null) {
                    tail = tail(verdict, score, safe);
                    tails[key] = tail;
                }
                return tail;
            }
            if (key != providerTailKey || !provider.equals(tailProvider)) {
                providerTail = tail(verdict, score, safe);
                providerTailKey = key;
                tailProvider = provider;
            }
            return providerTail;
        }

        private byte[] tail(Verdict verdict, int score, boolean safe) throws IOException {
            return words.of(writer -> writer.word(verdict.cached() ? "true" : "false")
                    .field(verdict.provider() == null ? "" : verdict.provider())
                    .field(score)
                    .word(safe ? "true" : "false"));
        }

        private String cell(String text) {
            return escapeFormulas ? FormulaGuard.neutralise(text) : text;
        }

        @Override
        public long offset(CountingStream counted) {
            try {
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return counted.count;
        }

        /** No flush: a copy left to the assembly learns its place without the row writer handing its bytes on. */
        @Override
        public long position(CountingStream counted) {
            return counted.count + csv.buffered();
        }

        @Override
        public void finish() throws IOException {
            // Flush, not close: the caller owns the stream.
            csv.flush();
        }
    }

    private final class JsonRows implements RowWriter {

        private final JsonGenerator json;
        private final boolean lines;
        private boolean first = true;

        JsonRows(OutputStream out, ResultFormat format) {
            this.json = JSON.createGenerator(ObjectWriteContext.empty(), out);
            this.lines = format == ResultFormat.NDJSON;
        }

        @Override
        public void separate() {
            if (!lines && !first) {
                json.writeRaw(',');
            }
            first = false;
        }

        @Override
        public long offset(CountingStream counted) {
            json.flush();
            return counted.count;
        }

        @Override
        public void row(ChunkCells cells, int record, long row, Verdict verdict, long duplicateOf, long[] span,
                CountingStream counted) {
            json.writeStartObject();
            int present = Math.min(cells.size(record), columns.size());
            for (int i = 0; i < present; i++) {
                json.writeName(names[i]);
                json.writeString(cells.text(record, i));
            }
            for (int i = present; i < columns.size(); i++) {
                json.writeName(names[i]);
                json.writeString("");
            }
            json.writeName(ROW);
            json.writeNumber(row);
            verdictColumns(verdict, span, counted);
            json.writeName(DUPLICATE_OF);
            if (duplicateOf == 0) {
                json.writeNull();
            } else {
                json.writeNumber(duplicateOf);
            }
            json.writeEndObject();
            if (lines) {
                json.writeRaw('\n');
            }
        }

        @Override
        public void verdictFields(Verdict verdict) {
            json.writeName(STATUS);
            json.writeString(verdict.status().wire());
            json.writeName(REASON);
            json.writeString(verdict.reason().code());
            json.writeName(EMAIL);
            json.writeString(verdict.normalized() == null ? "" : verdict.normalized());
            json.writeName(ROLE);
            json.writeBoolean(verdict.role());
            json.writeName(DISPOSABLE);
            json.writeBoolean(verdict.disposable());
            json.writeName(FREE);
            json.writeBoolean(verdict.free());
            json.writeName(SUGGESTION);
            json.writeString(verdict.suggestion() == null ? "" : verdict.suggestion());
            json.writeName(CACHED);
            json.writeBoolean(verdict.cached());
            json.writeName(PROVIDER);
            json.writeString(verdict.provider() == null ? "" : verdict.provider());
            json.writeName(SCORE);
            json.writeNumber(VerdictScore.score(verdict));
            json.writeName(SAFE_TO_SEND);
            json.writeBoolean(VerdictScore.safeToSend(verdict));
        }

        @Override
        public void finish() {
            // AUTO_CLOSE_TARGET is off, so this flushes and releases buffers but leaves the stream open.
            json.close();
        }
    }

    /** Fields written by {@code fields} as bytes, by a writer of their own; the first is no record's first field. */
    private static final class Words {

        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        private final CsvRowWriter writer = new CsvRowWriter(out);

        byte[] of(Fields fields) throws IOException {
            out.reset();
            fields.write(writer);
            writer.endRecord();
            writer.flush();
            return Arrays.copyOf(out.toByteArray(), out.size() - 1); // without the record's LF
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write(CsvRowWriter writer) throws IOException;
    }

    static CsvWriter csvWriter(OutputStream out) {
        return CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out, StandardCharsets.UTF_8);
    }
}
