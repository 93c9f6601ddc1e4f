package dev.sluice.core.result;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * What {@link VerifyPass} needs to verify each address once across its batch. Rows are {@code sluice_row} numbers
 * (1-based over the batch).
 *
 * @param plan    the chunk's copies (rows that repeat an earlier row, to the first row holding the address) and
 *                its kept rows (rows later chunks repeat: their verdicts are handed out after the run, for the
 *                assembly to give those copies, {@link LaterCopies})
 * @param allKept every first copy of the chunk is handed out, kept or not: a chunk run before its batch's load ended
 *                does not know yet which rows later chunks repeat
 */
public record ChunkDuplicates(DuplicatePlan plan, boolean allKept) {

    /** A chunk without duplicates. */
    public static final ChunkDuplicates NONE = new ChunkDuplicates(DuplicatePlan.NONE, false);

    public ChunkDuplicates {
        Objects.requireNonNull(plan, "plan");
    }

    /** Duplicates whose kept rows are known. */
    public ChunkDuplicates(DuplicatePlan plan) {
        this(plan, false);
    }

    /** Duplicates whose kept rows are known, from maps: {@code copies} row to first row, {@code kept} rows. */
    public ChunkDuplicates(Map<Long, Long> copies, Set<Long> kept) {
        this(new DuplicatePlan(copies, kept), false);
    }

    /** Duplicates of a chunk run before its load ended ({@code copies}, no kept rows): every first copy is handed out. */
    public static ChunkDuplicates keepingAll(DuplicatePlan copies) {
        return new ChunkDuplicates(copies, true);
    }

    /** The first row {@code row} repeats, or 0 when it is no copy. */
    public long firstOf(long row) {
        return plan.firstOf(row);
    }

    /** Whether row {@code row}, a first copy, is handed out. */
    public boolean keeps(long row) {
        return allKept || plan.keeps(row);
    }

    /**
     * Writes first copies (the verdicts of a chunk's {@code kept} rows), as {@link FirstCopies} does. Does not close
     * {@code out}.
     */
    public static void writeFirstCopies(Map<Long, FirstCopy> firsts, OutputStream out) throws IOException {
        FirstCopies copies = new FirstCopies();
        for (Map.Entry<Long, FirstCopy> entry : firsts.entrySet()) {
            copies.add(entry.getKey(), entry.getValue().key(), entry.getValue().verdict());
        }
        copies.writeTo(out);
    }

    /**
     * A chunk's first copies as a pass hands them out, written into one growing buffer as each is added (no map of
     * boxed rows and records to walk again later: a chunk run during the load hands out every first row), binary:
     * per row its number and the length of what follows, so that a reader skips the rows it does not need
     * ({@link #readFirstCopies}). Not thread-safe.
     */
    public static final class FirstCopies {

        // one buffer for the whole file, without the locks of a buffered stream (a row is a dozen small writes)
        private final FileBytes file = new FileBytes();
        private final DataOutputStream data = new DataOutputStream(file);

        /** Adds the first copy in {@code row}, with its {@link dev.sluice.core.verify.DuplicateKey} and verdict. */
        public void add(long row, String key, Verdict v) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(v, "verdict");
            try {
                data.writeLong(row);
                // the length of the row's bytes, put in once they are written
                int lengthAt = file.size();
                data.writeInt(0);
                data.writeUTF(key);
                data.write(STATUS_NAMES[v.status().ordinal()]);
                data.write(REASON_NAMES[v.reason().ordinal()]);
                int flags = (v.role() ? ROLE : 0) | (v.disposable() ? DISPOSABLE : 0) | (v.free() ? FREE : 0)
                        | (v.cached() ? CACHED : 0) | (v.normalized() == null ? 0 : NORMALIZED)
                        | (key.equals(v.normalized()) ? NORMALIZED_IS_KEY : 0)
                        | (v.suggestion() == null ? 0 : SUGGESTION) | (v.provider() == null ? 0 : PROVIDER);
                data.writeByte(flags);
                if (v.normalized() != null && !key.equals(v.normalized())) {
                    data.writeUTF(v.normalized());
                }
                if (v.suggestion() != null) {
                    data.writeUTF(v.suggestion());
                }
                if (v.provider() != null) {
                    data.writeUTF(v.provider());
                }
                file.putInt(lengthAt, file.size() - lengthAt - Integer.BYTES);
            } catch (IOException e) {
                // only writeUTF throws, for a text over 65,535 bytes: no key or verdict text is that long
                throw new UncheckedIOException(e);
            }
        }

        /** Writes every first copy added, in the order added. Does not close {@code out}. */
        public void writeTo(OutputStream out) throws IOException {
            file.writeTo(out);
        }
    }

    /** The names of the statuses and reasons as {@link DataOutputStream#writeUTF} writes them, encoded once. */
    private static final byte[][] STATUS_NAMES = encoded(VerdictStatus.values());
    private static final byte[][] REASON_NAMES = encoded(Reason.values());
    /** The same names, for the reader to find a constant by its bytes. */
    private static final Names<VerdictStatus> STATUSES = new Names<>(VerdictStatus.values());
    private static final Names<Reason> REASONS = new Names<>(Reason.values());

    private static byte[][] encoded(Enum<?>[] constants) {
        byte[][] names = new byte[constants.length][];
        for (Enum<?> constant : constants) {
            ByteArrayOutputStream name = new ByteArrayOutputStream();
            try {
                new DataOutputStream(name).writeUTF(constant.name());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            names[constant.ordinal()] = name.toByteArray();
        }
        return names;
    }

    /** A file's bytes as they are written: a growing array, no lock; a length is put in once known. */
    private static final class FileBytes extends OutputStream {

        private byte[] bytes = new byte[1 << 12];
        private int size;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        int size() {
            return size;
        }

        /** Puts {@code value} big-endian at {@code at}, as {@link DataOutputStream#writeInt} writes it. */
        void putInt(int at, int value) {
            ByteBuffer.wrap(bytes).putInt(at, value);
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(bytes, 0, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }
    }

    private static final int ROLE = 1;
    private static final int DISPOSABLE = 2;
    private static final int FREE = 4;
    private static final int CACHED = 8;
    private static final int NORMALIZED = 16;
    private static final int NORMALIZED_IS_KEY = 32;
    private static final int SUGGESTION = 64;
    private static final int PROVIDER = 128;

    /**
     * Reads the first copies {@link #writeFirstCopies} wrote whose rows {@code wanted} accepts. Does not close
     * {@code in}. The file is read whole (a chunk's first copies, about 100 bytes each) and parsed from its bytes:
     * the assembly reads a first copy of every repeated address, and a stream's reads of a few bytes at a time (each
     * taking its lock) and a string made for each status and reason name were most of that work.
     *
     * @throws EOFException when the file ends inside a row after its number
     */
    public static void readFirstCopies(InputStream in, LongPredicate wanted, FirstCopySink into) throws IOException {
        Bytes data = new Bytes(in.readAllBytes());
        // a file cut inside a row's number ends there, as a stream's readLong failing at the end did
        while (data.remaining() >= Long.BYTES) {
            long row = data.getLong();
            int length = data.getInt();
            if (!wanted.test(row)) {
                data.skip(length);
                continue;
            }
            String key = data.text();
            VerdictStatus status = data.name(STATUSES, VerdictStatus::valueOf);
            Reason reason = data.name(REASONS, Reason::valueOf);
            int flags = data.unsignedByte();
            String normalized = (flags & NORMALIZED) == 0 ? null
                    : (flags & NORMALIZED_IS_KEY) != 0 ? key : data.text();
            String suggestion = (flags & SUGGESTION) == 0 ? null : data.text();
            String provider = (flags & PROVIDER) == 0 ? null : data.text();
            into.accept(row, new FirstCopy(key, new Verdict(status, reason, normalized, (flags & ROLE) != 0,
                    (flags & DISPOSABLE) != 0, (flags & FREE) != 0, suggestion, (flags & CACHED) != 0, provider)));
        }
    }

    /**
     * A first copies file's bytes, read as {@link DataInputStream} reads what {@link DataOutputStream} wrote:
     * numbers big-endian, texts as {@code writeUTF} wrote them (a length, then modified UTF-8).
     */
    private static final class Bytes {

        private final byte[] bytes;
        private final ByteBuffer numbers;
        private int at;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
            this.numbers = ByteBuffer.wrap(bytes);
        }

        int remaining() {
            return bytes.length - at;
        }

        private void need(int count) throws EOFException {
            if (count < 0 || remaining() < count) {
                throw new EOFException("a file of first copies ends inside a row: " + count + " bytes asked at byte "
                        + at + " of " + bytes.length);
            }
        }

        long getLong() throws EOFException {
            need(Long.BYTES);
            long value = numbers.getLong(at);
            at += Long.BYTES;
            return value;
        }

        int getInt() throws EOFException {
            need(Integer.BYTES);
            int value = numbers.getInt(at);
            at += Integer.BYTES;
            return value;
        }

        int unsignedByte() throws EOFException {
            need(1);
            return bytes[at++] & 0xff;
        }

        void skip(int count) throws EOFException {
            need(count);
            at += count;
        }

        /** The length of the next text, its bytes from {@link #at} on, which it then passes. */
        private int textLength() throws EOFException {
            need(2);
            int length = (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
            at += 2;
            need(length);
            return length;
        }

        /** A text {@code writeUTF} wrote: plain ASCII (no NUL) as one copy, any other through the stream's reader. */
        String text() throws IOException {
            int start = at;
            int length = textLength();
            for (int i = at; i < at + length; i++) {
                if (bytes[i] <= 0) {
                    at = start + 2 + length;
                    return DataInputStream.readUTF(new DataInputStream(
                            new ByteArrayInputStream(bytes, start, 2 + length)));
                }
            }
            String text = new String(bytes, at, length, StandardCharsets.ISO_8859_1);
            at += length;
            return text;
        }

        /**
         * The constant whose name comes next, found among {@code names} without making a string; a name none has goes
         * to {@code valueOf}, which refuses it as it always did.
         */
        <E extends Enum<E>> E name(Names<E> names, Function<String, E> valueOf) throws IOException {
            int start = at;
            int length = textLength();
            E found = names.find(bytes, at, length);
            if (found != null) {
                at += length;
                return found;
            }
            at = start;
            return valueOf.apply(text());
        }
    }

    /** The names of an enum's constants as bytes (ASCII, as {@code writeUTF} writes them), grouped by length. */
    private static final class Names<E extends Enum<E>> {

        private final byte[][][] names;
        private final Object[][] constants;

        Names(E[] all) {
            int longest = 0;
            for (E constant : all) {
                longest = Math.max(longest, constant.name().length());
            }
            names = new byte[longest + 1][][];
            constants = new Object[longest + 1][];
            for (int length = 0; length <= longest; length++) {
                int n = length;
                List<E> of = Arrays.stream(all).filter(c -> c.name().length() == n).toList();
                names[length] = of.stream().map(c -> c.name().getBytes(StandardCharsets.US_ASCII))
                        .toArray(byte[][]::new);
                constants[length] = of.toArray();
            }
        }

        /** The constant named by {@code length} bytes of {@code bytes} from {@code from}, or null. */
        @SuppressWarnings("unchecked")
        E find(byte[] bytes, int from, int length) {
            if (length >= names.length) {
                return null;
            }
            byte[][] candidates = names[length];
            for (int i = 0; i < candidates.length; i++) {
                if (Arrays.equals(candidates[i], 0, length, bytes, from, from + length)) {
                    return (E) constants[length][i];
                }
            }
            return null;
        }
    }

    /** Receives first copies as they are read. */
    @FunctionalInterface
    public interface FirstCopySink {
        void accept(long row, FirstCopy first) throws IOException;
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
