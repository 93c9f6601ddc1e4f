package dev.sluice.core.result;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * What {@link VerifyPass} needs to verify each address of a chunk once across its batch. Rows are
 * {@code sluice_row} numbers (1-based over the batch).
 *
 * @param copies  rows of this chunk that repeat an earlier row, to the first row holding the address
 * @param kept    rows of this chunk that later chunks repeat: their verdicts are handed out after the run, for the
 *                assembly to give those copies ({@link LaterCopies})
 * @param allKept every first copy of the chunk is handed out, {@code kept} or not: a chunk run before its batch's
 *                load ended does not know yet which rows later chunks repeat
 */
public record ChunkDuplicates(Map<Long, Long> copies, Set<Long> kept, boolean allKept) {

    /** A chunk without duplicates. */
    public static final ChunkDuplicates NONE = new ChunkDuplicates(Map.of(), Set.of());

    public ChunkDuplicates {
        copies = Map.copyOf(copies);
        kept = Set.copyOf(kept);
    }

    /** Duplicates whose {@code kept} rows are known. */
    public ChunkDuplicates(Map<Long, Long> copies, Set<Long> kept) {
        this(copies, kept, false);
    }

    /** Duplicates of a chunk run before the load ended: every first copy is handed out. */
    public static ChunkDuplicates keepingAll(Map<Long, Long> copies) {
        return new ChunkDuplicates(copies, Set.of(), true);
    }

    /** Whether row {@code row}, a first copy, is handed out. */
    public boolean keeps(long row) {
        return allKept || kept.contains(row);
    }

    /**
     * Writes first copies (the verdicts of a chunk's {@code kept} rows), binary: per row its number and the length of
     * what follows, so that a reader skips the rows it does not need. Does not close {@code out}.
     */
    public static void writeFirstCopies(Map<Long, FirstCopy> firsts, OutputStream out) throws IOException {
        writeFirstCopies(firsts, null, out);
    }

    /**
     * As {@link #writeFirstCopies(Map, OutputStream)}, each row followed by its verdict columns as {@code columns}
     * renders them (nothing when null): the assembly then copies those bytes into the copies' rows instead of
     * rendering every first copy again on its one thread ({@link #readFirstCopies(InputStream, LongPredicate,
     * RenderedSink)}). They end the row's bytes, so a reader that knows nothing of them finds its fields first.
     */
    public static void writeFirstCopies(Map<Long, FirstCopy> firsts, VerifyPass.VerdictColumns columns,
            OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        DataOutputStream fields = new DataOutputStream(body);
        for (Map.Entry<Long, FirstCopy> entry : firsts.entrySet()) {
            String key = entry.getValue().key();
            Verdict v = entry.getValue().verdict();
            body.reset();
            fields.writeUTF(key);
            fields.writeUTF(v.status().name());
            fields.writeUTF(v.reason().name());
            int flags = (v.role() ? ROLE : 0) | (v.disposable() ? DISPOSABLE : 0) | (v.free() ? FREE : 0)
                    | (v.cached() ? CACHED : 0) | (v.normalized() == null ? 0 : NORMALIZED)
                    | (key.equals(v.normalized()) ? NORMALIZED_IS_KEY : 0) | (v.suggestion() == null ? 0 : SUGGESTION)
                    | (v.provider() == null ? 0 : PROVIDER);
            fields.writeByte(flags);
            if (v.normalized() != null && !key.equals(v.normalized())) {
                fields.writeUTF(v.normalized());
            }
            if (v.suggestion() != null) {
                fields.writeUTF(v.suggestion());
            }
            if (v.provider() != null) {
                fields.writeUTF(v.provider());
            }
            if (columns != null) {
                fields.write(columns.of(v));
            }
            data.writeLong(entry.getKey());
            data.writeInt(body.size());
            body.writeTo(data);
        }
        data.flush();
    }

    private static final int ROLE = 1;
    private static final int DISPOSABLE = 2;
    private static final int FREE = 4;
    private static final int CACHED = 8;
    private static final int NORMALIZED = 16;
    private static final int NORMALIZED_IS_KEY = 32;
    private static final int SUGGESTION = 64;
    private static final int PROVIDER = 128;

    /** Reads the first copies {@link #writeFirstCopies} wrote whose rows {@code wanted} accepts. */
    public static void readFirstCopies(InputStream in, LongPredicate wanted, FirstCopySink into) throws IOException {
        readFirstCopies(in, wanted, (row, first, columns) -> into.accept(row, first));
    }

    /**
     * As {@link #readFirstCopies(InputStream, LongPredicate, FirstCopySink)}, with each row's rendered verdict
     * columns, or null when the file has none (written without a renderer, or by a version before them).
     */
    public static void readFirstCopies(InputStream in, LongPredicate wanted, RenderedSink into) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        Body body = new Body();
        DataInputStream fields = new DataInputStream(body);
        while (true) {
            long row;
            try {
                row = data.readLong();
            } catch (EOFException end) {
                return;
            }
            int length = data.readInt();
            if (!wanted.test(row)) {
                data.skipNBytes(length);
                continue;
            }
            body.fill(data, length);
            String key = fields.readUTF();
            VerdictStatus status = VerdictStatus.valueOf(fields.readUTF());
            Reason reason = Reason.valueOf(fields.readUTF());
            int flags = fields.readUnsignedByte();
            String normalized = (flags & NORMALIZED) == 0 ? null
                    : (flags & NORMALIZED_IS_KEY) != 0 ? key : fields.readUTF();
            String suggestion = (flags & SUGGESTION) == 0 ? null : fields.readUTF();
            String provider = (flags & PROVIDER) == 0 ? null : fields.readUTF();
            byte[] columns = body.available() == 0 ? null : new byte[body.available()];
            if (columns != null) {
                fields.readFully(columns);
            }
            into.accept(row, new FirstCopy(key, new Verdict(status, reason, normalized, (flags & ROLE) != 0,
                    (flags & DISPOSABLE) != 0, (flags & FREE) != 0, suggestion, (flags & CACHED) != 0, provider)),
                    columns);
        }
    }

    /** One row's bytes, read into a buffer kept from row to row. */
    private static final class Body extends ByteArrayInputStream {

        Body() {
            super(new byte[256]);
        }

        void fill(DataInputStream from, int length) throws IOException {
            if (buf.length < length) {
                buf = new byte[Math.max(length, buf.length * 2)];
            }
            from.readFully(buf, 0, length);
            pos = 0;
            count = length;
        }
    }

    /** Receives first copies as they are read. */
    @FunctionalInterface
    public interface FirstCopySink {
        void accept(long row, FirstCopy first) throws IOException;
    }

    /** Receives first copies as they are read, with their rendered verdict columns (null: none in the file). */
    @FunctionalInterface
    public interface RenderedSink {
        void accept(long row, FirstCopy first, byte[] columns) throws IOException;
    }

    /**
     * Reads first copies a version before {@link #writeFirstCopies} wrote binary wrote as CSV, for a batch that
     * was in progress across the upgrade.
     */
    public static void readCsvFirstCopies(InputStream in, Map<Long, FirstCopy> into) throws IOException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder()
                .ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (CsvRecord r : csv) {
                Verdict verdict = new Verdict(VerdictStatus.valueOf(r.getField(2)), Reason.valueOf(r.getField(3)),
                        r.getField(4).isEmpty() ? null : r.getField(4), Boolean.parseBoolean(r.getField(5)),
                        Boolean.parseBoolean(r.getField(6)), Boolean.parseBoolean(r.getField(7)),
                        r.getField(8).isEmpty() ? null : r.getField(8), Boolean.parseBoolean(r.getField(9)),
                        // files written before the provider was carried have ten fields
                        r.getFieldCount() < 11 || r.getField(10).isEmpty() ? null : r.getField(10));
                into.put(Long.parseLong(r.getField(0)), new FirstCopy(r.getField(1), verdict));
            }
        }
    }

    /**
     * The first copy of an address, as the assembly reads it.
     *
     * @param key     its {@link dev.sluice.core.verify.DuplicateKey}, compared before the verdict is copied
     * @param verdict the verdict every copy gets
     */
    public record FirstCopy(String key, Verdict verdict) {

        public FirstCopy {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(verdict, "verdict");
        }
    }
}
