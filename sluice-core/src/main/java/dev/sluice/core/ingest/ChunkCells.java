package dev.sluice.core.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The records of one chunk input held as their cells' UTF-8 bytes, back to back in one array, with where each cell
 * lies: what {@link ChunkReader#readCells} answers. A pass that only copies most cells into its result (every cell but
 * the address) copies their bytes, without a string per cell on the way in and an encoding on the way out; a cell
 * asked for as {@link #text text} is decoded then. Cells read from a binary chunk input are the bytes Java's UTF-8
 * encoder gave for the loader's text, so decoding them and encoding the text again gives them back. Not thread-safe
 * while it is built; read-only after.
 */
public final class ChunkCells {

    private byte[] bytes;
    private int used;
    /** Cell {@code k} is the bytes from {@code ends[k - 1]} (0 for the first) to {@code ends[k]}. */
    private int[] ends;
    private int cells;
    /** Record {@code r}'s cells are {@code firsts[r]} to {@code firsts[r + 1]}. */
    private int[] firsts;
    private int records;

    ChunkCells(int bytes) {
        this.bytes = new byte[Math.max(bytes, 16)];
        this.ends = new int[64];
        this.firsts = new int[16];
    }

    /** One record of {@code fields}, encoded as a chunk input holds them. */
    public static ChunkCells of(List<String> fields) {
        ChunkCells one = new ChunkCells(64);
        one.add(fields);
        return one;
    }

    /** The number of records. */
    public int records() {
        return records;
    }

    /** The number of cells of record {@code record}. */
    public int size(int record) {
        return firsts[Objects.checkIndex(record, records) + 1] - firsts[record];
    }

    /** The cells' bytes; a cell's lie from {@link #start} to {@link #end}. */
    public byte[] bytes() {
        return bytes;
    }

    /** Where cell {@code cell} of record {@code record} starts in {@link #bytes}. */
    public int start(int record, int cell) {
        int k = index(record, cell);
        return k == 0 ? 0 : ends[k - 1];
    }

    /** Where cell {@code cell} of record {@code record} ends (exclusive) in {@link #bytes}. */
    public int end(int record, int cell) {
        return ends[index(record, cell)];
    }

    /** Cell {@code cell} of record {@code record} as text. */
    public String text(int record, int cell) {
        int k = index(record, cell);
        int start = k == 0 ? 0 : ends[k - 1];
        return new String(bytes, start, ends[k] - start, StandardCharsets.UTF_8);
    }

    /** Record {@code record}'s cells as text, unmodifiable. */
    public List<String> fields(int record) {
        String[] fields = new String[size(record)];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = text(record, i);
        }
        return Collections.unmodifiableList(Arrays.asList(fields));
    }

    private int index(int record, int cell) {
        return firsts[record] + Objects.checkIndex(cell, size(record));
    }

    /** Starts the next record. */
    void startRecord() {
        if (records + 2 > firsts.length) {
            firsts = Arrays.copyOf(firsts, firsts.length * 2);
        }
        records++;
        firsts[records] = cells;
    }

    /** Adds a cell of {@code length} bytes of {@code from} from {@code offset} to the record started last. */
    void addCell(byte[] from, int offset, int length) {
        if (length > bytes.length - used) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max((long) bytes.length * 2, (long) used + length),
                    Integer.MAX_VALUE - 8));
        }
        System.arraycopy(from, offset, bytes, used, length);
        used += length;
        if (cells == ends.length) {
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        ends[cells++] = used;
        firsts[records] = cells;
    }

    /** Adds a record of {@code fields}, each encoded to UTF-8. */
    void add(List<String> fields) {
        startRecord();
        for (String field : fields) {
            byte[] encoded = field.getBytes(StandardCharsets.UTF_8);
            addCell(encoded, 0, encoded.length);
        }
    }
}
