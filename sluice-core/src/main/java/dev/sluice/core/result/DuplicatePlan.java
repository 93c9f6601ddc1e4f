package dev.sluice.core.result;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The duplicates of one chunk as {@link DuplicateScan} found them over the whole batch, kept beside the chunk's
 * input until the batch completes. Held as sorted arrays of rows, not maps of boxed numbers: a chunk of 10,000 rows
 * of a list with many repeated addresses has thousands of copies, and every chunk's plan is built, written, read and
 * looked up once per row. Stored binary: a zero byte, the number of copies, each copy's row and first row, the
 * number of kept rows, each kept row (rows in increasing order). Plans written by earlier versions are text lines,
 * still read: {@code c <row> <first row>} (a copy), {@code k <row>} (a first copy a later chunk repeats), and
 * {@code w <chunk>} (a chunk to wait for, from before copies of earlier chunks were left to the assembly), which is
 * ignored. Immutable.
 */
public final class DuplicatePlan {

    /** The first byte of a binary plan; a text plan starts with a letter. */
    private static final int BINARY = 0;
    private static final long[] NO_ROWS = new long[0];

    /** A chunk without duplicates. */
    public static final DuplicatePlan NONE = new DuplicatePlan(NO_ROWS, NO_ROWS, NO_ROWS);

    /** Rows of this chunk that repeat an earlier row, increasing. */
    private final long[] copyRows;
    /** The first row each of {@link #copyRows} repeats. */
    private final long[] firstRows;
    /** Rows of this chunk whose verdicts later chunks copy, increasing. */
    private final long[] kept;

    private DuplicatePlan(long[] copyRows, long[] firstRows, long[] kept) {
        this.copyRows = copyRows;
        this.firstRows = firstRows;
        this.kept = kept;
    }

    /**
     * A plan of {@code copies} (rows of the chunk that repeat an earlier row, to that row) and {@code kept} (rows
     * whose verdicts later chunks copy), in any order.
     */
    public DuplicatePlan(Map<Long, Long> copies, Set<Long> kept) {
        this(sorted(copies.keySet()), new long[copies.size()], sorted(kept));
        for (int i = 0; i < copyRows.length; i++) {
            firstRows[i] = copies.get(copyRows[i]);
        }
    }

    /**
     * A plan of arrays already in increasing row order, taken as they are: the caller hands them over and keeps no
     * reference.
     */
    static DuplicatePlan ofSorted(long[] copyRows, long[] firstRows, long[] kept) {
        if (copyRows.length != firstRows.length) {
            throw new IllegalArgumentException(copyRows.length + " copies but " + firstRows.length + " first rows");
        }
        return copyRows.length == 0 && kept.length == 0 ? NONE : new DuplicatePlan(copyRows, firstRows, kept);
    }

    /** This plan's copies with {@code kept} (increasing, handed over) as its kept rows. */
    DuplicatePlan withKept(long[] kept) {
        return ofSorted(copyRows, firstRows, kept);
    }

    public boolean isEmpty() {
        return copyRows.length == 0 && kept.length == 0;
    }

    /** The first row {@code row} repeats, or 0 when it is no copy. */
    public long firstOf(long row) {
        int at = Arrays.binarySearch(copyRows, row);
        return at < 0 ? 0 : firstRows[at];
    }

    /** Whether later chunks copy the verdict of {@code row}. */
    public boolean keeps(long row) {
        return Arrays.binarySearch(kept, row) >= 0;
    }

    /** How many rows of the chunk repeat an earlier row. */
    public int copyCount() {
        return copyRows.length;
    }

    /** The copies, row to first row, in row order: a map made on each call. */
    public Map<Long, Long> copies() {
        Map<Long, Long> copies = LinkedHashMap.newLinkedHashMap(copyRows.length);
        for (int i = 0; i < copyRows.length; i++) {
            copies.put(copyRows[i], firstRows[i]);
        }
        return Collections.unmodifiableMap(copies);
    }

    /** The rows later chunks copy, in row order: a set made on each call. */
    public Set<Long> kept() {
        Set<Long> rows = LinkedHashSet.newLinkedHashSet(kept.length);
        for (long row : kept) {
            rows.add(row);
        }
        return Collections.unmodifiableSet(rows);
    }

    /** Writes the plan; does not close {@code out}. */
    public void write(OutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(1 + Integer.BYTES * 2 + Long.BYTES * (copyRows.length * 2 + kept.length));
        bytes.put((byte) BINARY);
        bytes.putInt(copyRows.length);
        for (int i = 0; i < copyRows.length; i++) {
            bytes.putLong(copyRows[i]).putLong(firstRows[i]);
        }
        bytes.putInt(kept.length);
        for (long row : kept) {
            bytes.putLong(row);
        }
        out.write(bytes.array());
    }

    private static long[] sorted(Set<Long> rows) {
        long[] sorted = new long[rows.size()];
        int i = 0;
        for (long row : rows) {
            sorted[i++] = row;
        }
        Arrays.sort(sorted);
        return sorted;
    }

    /** Reads a plan {@link #write} wrote, or a text plan of an earlier version. */
    public static DuplicatePlan read(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 14);
        buffered.mark(1);
        int first = buffered.read();
        if (first < 0) {
            return NONE;
        }
        if (first != BINARY) {
            buffered.reset();
            return readText(buffered);
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffered.readAllBytes());
        try {
            long[] copyRows = new long[count(bytes, 2)];
            long[] firstRows = new long[copyRows.length];
            for (int i = 0; i < copyRows.length; i++) {
                copyRows[i] = bytes.getLong();
                firstRows[i] = bytes.getLong();
            }
            long[] kept = new long[count(bytes, 1)];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = bytes.getLong();
            }
            if (!increasing(copyRows) || !increasing(kept)) {
                throw new IOException("a duplicate plan whose rows are not in increasing order");
            }
            return ofSorted(copyRows, firstRows, kept);
        } catch (BufferUnderflowException e) {
            throw new EOFException("a duplicate plan ends early");
        }
    }

    /** A count of entries of {@code longs} longs each, checked against the bytes left. */
    private static int count(ByteBuffer bytes, int longs) throws IOException {
        int count = bytes.getInt();
        if (count < 0 || (long) count * longs * Long.BYTES > bytes.remaining()) {
            throw new EOFException("a duplicate plan announces " + count + " entries but ends before them");
        }
        return count;
    }

    private static boolean increasing(long[] rows) {
        for (int i = 1; i < rows.length; i++) {
            if (rows[i] <= rows[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private static DuplicatePlan readText(InputStream in) throws IOException {
        Map<Long, Long> copies = new HashMap<>();
        Set<Long> kept = new HashSet<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            List<String> parts = List.of(line.split(" "));
            switch (parts.get(0)) {
                case "w" -> {
                    // written by a version whose chunks waited for earlier ones
                }
                case "c" -> copies.put(Long.parseLong(parts.get(1)), Long.parseLong(parts.get(2)));
                case "k" -> kept.add(Long.parseLong(parts.get(1)));
                default -> throw new IOException("not a duplicate plan line: " + line);
            }
        }
        return new DuplicatePlan(copies, kept);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DuplicatePlan other && Arrays.equals(copyRows, other.copyRows)
                && Arrays.equals(firstRows, other.firstRows) && Arrays.equals(kept, other.kept);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(copyRows) * 31 + Arrays.hashCode(firstRows)) * 31 + Arrays.hashCode(kept);
    }

    @Override
    public String toString() {
        return "DuplicatePlan[copies=" + copies() + ", kept=" + kept() + "]";
    }
}
