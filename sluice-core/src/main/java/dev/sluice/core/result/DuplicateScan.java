package dev.sluice.core.result;

import dev.sluice.core.ingest.KeyObserver;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Finds, as a batch's records pass once in row order ({@link #record}, fed by the loader's own pass through
 * {@link dev.sluice.core.ingest.KeyObserver}), which rows repeat an earlier row's address ({@link DuplicateIndex});
 * then hands out a {@link DuplicatePlan} per chunk in chunk order ({@link #plans}). Chunks hold a fixed number of
 * rows, the last one at most that many. Memory: the index, 8 bytes per duplicate row (in blocks, never copied to
 * grow) and a bit per row for the rows later chunks repeat (a plan's arrays are built one chunk at a time). Not
 * thread-safe. No row may be recorded once the plans or the kept rows were asked for.
 */
public final class DuplicateScan implements KeyObserver {

    /** Receives the plans, in chunk order. */
    @FunctionalInterface
    public interface PlanSink {
        void accept(int chunk, DuplicatePlan plan) throws IOException;
    }

    private final int chunkSize;
    private final DuplicateIndex index = new DuplicateIndex();
    private final DuplicateIndex.CopySink copySink = this::copy;
    /** Pairs (row, first row) in row order. */
    private final IntBlocks copies = new IntBlocks();
    /** First rows a later chunk repeats: a bit per row. */
    private final BitSet kept = new BitSet();
    private long lastRow;
    /** {@link #kept} sorted and distinct, once the last row is recorded. */
    private long[] sortedKept;

    /** @param chunkSize the rows of every chunk but the last */
    public DuplicateScan(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1: " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /**
     * Records {@code row} (1-based, increasing) holding {@code cell}, the address column's cell.
     *
     * @throws IllegalArgumentException when {@code row} does not follow the last row recorded
     */
    @Override
    public void record(long row, String cell) {
        follow(row);
        // looked up a few rows at a time (DuplicateIndex#record); every read of the copies flushes first
        index.record(row, cell, copySink);
    }

    /** As {@link #record(long, String)}, for the cell held in {@code chars[from..to)}. */
    @Override
    public void record(long row, char[] chars, int from, int to) {
        follow(row);
        index.record(row, chars, from, to, copySink);
    }

    private void follow(long row) {
        if (row <= lastRow) {
            throw new IllegalArgumentException("rows must increase: " + row + " after " + lastRow);
        }
        lastRow = row;
    }

    /** A row repeating an earlier one, told by the index in row order. */
    private void copy(int row, int first) {
        copies.add(row);
        copies.add(first);
        if (chunkOf(first) != chunkOf(row)) {
            kept.set(first);
        }
    }

    /** Hands the copies of the rows the index still holds to {@link #copy}, unless the index is released. */
    private void flush() {
        if (sortedKept == null) {
            index.flush(copySink);
        }
    }

    /**
     * The copies of chunk {@code chunk}'s rows, once its last row is recorded, while the scan goes on: final, unlike
     * its kept rows, which only the whole batch tells ({@link #plans}).
     */
    public DuplicatePlan copiesOf(int chunk) {
        flush();
        long firstRow = (long) chunk * chunkSize + 1;
        long end = firstRow + chunkSize;
        // pairs are in row order: find the first pair of the chunk by bisection
        long low = 0;
        long high = copies.size() / 2;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (copies.get(mid * 2) < firstRow) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        long pairs = 0;
        while ((low + pairs) * 2 < copies.size() && copies.get((low + pairs) * 2) < end) {
            pairs++;
        }
        long[] rows = new long[(int) pairs];
        long[] firstRows = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = copies.get((low + i) * 2);
            firstRows[i] = copies.get((low + i) * 2 + 1);
        }
        return DuplicatePlan.ofSorted(rows, firstRows, new long[0]);
    }

    /**
     * Writes the rows later chunks repeat, sorted, once each, after the last row is recorded (binary: a count, then
     * the rows). Does not close {@code out}.
     */
    public void writeKeptRows(OutputStream out) throws IOException {
        long[] rows = sortedKept();
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.writeInt(rows.length);
        for (long row : rows) {
            data.writeLong(row);
        }
        data.flush();
    }

    /** Reads the rows {@link #writeKeptRows} wrote, sorted. */
    public static long[] readRows(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        long[] rows = new long[data.readInt()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.readLong();
        }
        return rows;
    }

    /** Hands {@code sink} the plans of chunks 0 to {@code chunks - 1}, in order, after the last row is recorded. */
    public void plans(int chunks, PlanSink sink) throws IOException {
        long[] keptRows = sortedKept();
        int keep = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            int from = keep;
            while (keep < keptRows.length && chunkOf(keptRows[keep]) == chunk) {
                keep++;
            }
            sink.accept(chunk, copiesOf(chunk).withKept(Arrays.copyOfRange(keptRows, from, keep)));
        }
    }

    /**
     * The rows later chunks repeat, sorted, once each; made once, after the last row is recorded, when the index
     * is no longer needed and leaves its tables to the next scan's ({@link DuplicateIndex#release}).
     */
    private long[] sortedKept() {
        if (sortedKept == null) {
            flush();
            index.release();
            sortedKept = kept.stream().asLongStream().toArray();
        }
        return sortedKept;
    }

    private int chunkOf(long row) {
        return (int) ((row - 1) / chunkSize);
    }
}
