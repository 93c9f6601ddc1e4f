package dev.sluice.core.result;

import dev.sluice.core.verify.DuplicateKey;
import java.util.Arrays;

/**
 * Finds, in one pass over a batch in row order, the first row holding each address ({@link DuplicateKey}). It
 * keeps a 96-bit fingerprint of the key (a 64-bit and an independent 32-bit hash) and the first row per distinct
 * address, not the keys themselves: 16 bytes a slot, in {@value #SEGMENTS} open-addressing tables chosen by the
 * hash's top bits, each filled to at most three quarters and doubled on its own, so that growing never holds two
 * copies of the whole index. A million addresses take 32 to 43 MB, the 5 million of the largest batch 128 to 171
 * MB. Two different keys would look alike only if both hashes matched; the top 8 bits choose the table, so 88
 * bits tell keys apart in it: about one chance in 10^15 among a million addresses, in 10^13 among 5 million. A
 * copy in a later chunk takes its first copy's verdict on this index's word alone, as the keys are no longer at
 * hand ({@link LaterCopies}). Rows are counted from 1 up to {@link Integer#MAX_VALUE}. Not thread-safe.
 *
 * <p>An index lives through a batch's whole load, so its tables outlive the young generation and are promoted,
 * and once the load ends they and the smaller tables they grew from are garbage in the old generation: about
 * twice the final tables per batch, the largest share of what fills the old generation until a full collection
 * (a pause of 80 to 140 ms on the bench's server). So an index {@link #release released} at the end of its
 * load leaves its tables, when they take at most {@value #SPARE_BYTES} bytes (about a million addresses), to
 * the next index made in this JVM, which clears them and starts at their size. One set of tables is kept, held
 * softly: when the heap runs short (the largest batch loading, say) the collector drops them before it would
 * fail an allocation. An index made while none is spare starts small as before.
 */
public final class DuplicateIndex {

    /** Tables, chosen by the top {@value #SEGMENT_BITS} bits of the hash. */
    static final int SEGMENTS = 1 << 8;
    private static final int SEGMENT_BITS = 8;
    /** Ints a slot: the hash's high and low halves, the check, the row (0: free). */
    private static final int SLOT = 4;
    private static final int FIRST_SLOTS = 16;
    /** The most bytes of tables kept for the next index: 32 MB, a million addresses' worth. */
    static final long SPARE_BYTES = 32L << 20;
    /** Tables a released index left, not yet taken by a new one; the collector may drop them. */
    private static final SpareArrays<int[][]> SPARE = new SpareArrays<>();

    private int[][] tables;
    private final int[] sizes = new int[SEGMENTS];

    public DuplicateIndex() {
        int[][] spare = SPARE.take();
        if (spare != null) {
            for (int[] table : spare) {
                Arrays.fill(table, 0);
            }
            tables = spare;
        } else {
            tables = new int[SEGMENTS][];
            for (int i = 0; i < SEGMENTS; i++) {
                tables[i] = new int[FIRST_SLOTS * SLOT];
            }
        }
    }

    /**
     * Ends this index: its tables go to the next index made, unless they take more than {@value #SPARE_BYTES}
     * bytes. Later calls of {@link #firstOf} throw; a second release does nothing.
     */
    public void release() {
        int[][] released = tables;
        if (released == null) {
            return;
        }
        tables = null;
        if (bytes(released) <= SPARE_BYTES) {
            SPARE.keep(released);
        }
    }

    /**
     * Records {@code row} (1-based, increasing) holding {@code cell}; answers the first row holding the same
     * address, or 0 when this is the first (or the cell holds no address).
     *
     * @throws IllegalArgumentException when {@code row} is above {@link Integer#MAX_VALUE}
     */
    public long firstOf(long row, String cell) {
        requireRow(row);
        String key = DuplicateKey.of(cell);
        if (key == null) {
            return 0;
        }
        long hash = hash(key);
        return firstOf((int) row, (int) (hash >>> 32), (int) hash, (int) check(key));
    }

    /** Rows recorded together by {@link #record}: each one's slot is read before any is looked up. */
    static final int BATCH = 32;
    private final int[] batchRows = new int[BATCH];
    private final int[] batchHighs = new int[BATCH];
    private final int[] batchLows = new int[BATCH];
    private final int[] batchChecks = new int[BATCH];
    private int batched;
    /** What the reads ahead of look-ups sum up, kept so that the compiler cannot drop them. */
    private int touched;

    /** Receives each row recorded through {@link #record} that repeats an earlier row, in row order. */
    @FunctionalInterface
    public interface CopySink {
        void copy(int row, int firstRow);
    }

    /**
     * As {@link #firstOf(long, String)}, but the answer may come later: rows are looked up {@value #BATCH} at a time,
     * each one's slot read before any is looked up, so that the memory waits of a table larger than the processor's
     * caches overlap instead of coming one after the other. Each row repeating an earlier one goes to {@code copies}
     * by the time {@link #flush} returns, in row order. Not to be mixed with {@link #firstOf(long, String)} unless
     * flushed in between.
     */
    public void record(long row, String cell, CopySink copies) {
        requireRow(row);
        String key = DuplicateKey.of(cell);
        if (key == null) {
            return;
        }
        hold((int) row, hash(key), check(key), copies);
    }

    /**
     * As {@link #record(long, String, CopySink)} for the cell held in {@code chars[from..to)}: a cell that is its own
     * key ({@link DuplicateKey#plainBounds}, most addresses) is hashed where it lies, both hashes in one loop, and no
     * string is made; any other is made a string and recorded as such.
     */
    public void record(long row, char[] chars, int from, int to, CopySink copies) {
        long bounds = DuplicateKey.plainBounds(chars, from, to);
        if (bounds < 0) {
            record(row, new String(chars, from, to - from), copies);
            return;
        }
        requireRow(row);
        // the two hashes are chains of multiplications that do not wait for each other, so one loop runs them side by
        // side in about the time of one
        long hash = HASH_SEED;
        long check = CHECK_SEED;
        for (int i = (int) (bounds >>> 32), end = (int) bounds; i < end; i++) {
            char c = chars[i];
            hash = (hash ^ c) * HASH_PRIME;
            check = check * CHECK_FACTOR + c;
        }
        hold((int) row, spreadHash(hash), spreadCheck(check), copies);
    }

    /** Holds a row to be looked up with the next {@value #BATCH}, looking them all up once it holds that many. */
    private void hold(int row, long hash, long check, CopySink copies) {
        batchRows[batched] = row;
        batchHighs[batched] = (int) (hash >>> 32);
        batchLows[batched] = (int) hash;
        batchChecks[batched] = (int) check;
        if (++batched == BATCH) {
            flush(copies);
        }
    }

    /** Looks up the rows {@link #record} holds, in row order, handing their copies to {@code copies}. */
    public void flush(CopySink copies) {
        if (batched == 0) {
            return;
        }
        requireOpen();
        int sum = 0;
        for (int i = 0; i < batched; i++) {
            int[] table = tables[batchHighs[i] >>> (Integer.SIZE - SEGMENT_BITS)];
            sum += table[(batchLows[i] & (table.length / SLOT - 1)) * SLOT + 3];
        }
        touched += sum;
        int count = batched;
        batched = 0;
        for (int i = 0; i < count; i++) {
            long first = firstOf(batchRows[i], batchHighs[i], batchLows[i], batchChecks[i]);
            if (first != 0) {
                copies.copy(batchRows[i], (int) first);
            }
        }
    }

    private static void requireRow(long row) {
        if (row > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "the duplicate index counts rows up to " + Integer.MAX_VALUE + ": " + row);
        }
    }

    private void requireOpen() {
        if (tables == null) {
            throw new IllegalStateException("this duplicate index was released at the end of its load");
        }
    }

    /** The look-up (and insert when new) of one key's hashes. */
    private long firstOf(int row, int high, int low, int check) {
        int segment = high >>> (Integer.SIZE - SEGMENT_BITS);
        requireOpen();
        int[] table = tables[segment];
        int mask = table.length / SLOT - 1;
        for (int slot = low & mask; ; slot = (slot + 1) & mask) {
            int at = slot * SLOT;
            int first = table[at + 3];
            if (first == 0) {
                table[at] = high;
                table[at + 1] = low;
                table[at + 2] = check;
                table[at + 3] = row;
                if (++sizes[segment] * 4 > (mask + 1) * 3) {
                    tables[segment] = grow(table);
                }
                return 0;
            }
            if (table[at + 1] == low && table[at] == high && table[at + 2] == check) {
                return first;
            }
        }
    }

    /** Bytes the tables take (their ints, not the arrays' headers). */
    long bytes() {
        return bytes(tables);
    }

    private static long bytes(int[][] tables) {
        long ints = 0;
        for (int[] table : tables) {
            ints += table.length;
        }
        return ints * Integer.BYTES;
    }

    /** {@code table} with twice the slots, its entries placed anew. */
    private static int[] grow(int[] table) {
        int[] grown = new int[table.length * 2];
        int mask = grown.length / SLOT - 1;
        for (int at = 0; at < table.length; at += SLOT) {
            if (table[at + 3] != 0) {
                int slot = table[at + 1] & mask;
                while (grown[slot * SLOT + 3] != 0) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(table, at, grown, slot * SLOT, SLOT);
            }
        }
        return grown;
    }

    private static final long HASH_SEED = 0xcbf29ce484222325L;
    private static final long HASH_PRIME = 0x100000001b3L;
    private static final long CHECK_SEED = 0x9e3779b97f4a7c15L;
    private static final long CHECK_FACTOR = 0xc6a4a7935bd1e995L;

    /** FNV-1a over the UTF-16 units, then the SplitMix64 finaliser to spread the bits. */
    static long hash(String key) {
        long h = HASH_SEED;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * HASH_PRIME;
        }
        return spreadHash(h);
    }

    private static long spreadHash(long h) {
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** A second hash, independent of {@link #hash}: a polynomial over the UTF-16 units, then Murmur3's finaliser. */
    static long check(String key) {
        long h = CHECK_SEED;
        for (int i = 0; i < key.length(); i++) {
            h = h * CHECK_FACTOR + key.charAt(i);
        }
        return spreadCheck(h);
    }

    private static long spreadCheck(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
