package dev.sluice.core.result;

import dev.sluice.core.verify.DuplicateKey;

/**
 * Finds, in one pass over a batch in row order, the first row holding each address ({@link DuplicateKey}). It
 * keeps a 64-bit hash of the key and the first row per distinct address (16 bytes a slot, open addressing filled
 * to at most three quarters: 21 to 43 bytes an address), not the keys themselves, so a million addresses take
 * 32 MB at most. Two keys sharing a hash (about one chance in
 * 10^7 among a million addresses) would look alike here: whoever copies a verdict compares the keys first
 * ({@link VerifyPass} does) and verifies the row on its own when they differ. Not thread-safe.
 */
public final class DuplicateIndex {

    private long[] hashes = new long[1 << 10];
    private long[] rows = new long[1 << 10];
    private int size;

    /**
     * Records {@code row} (1-based, increasing) holding {@code cell}; answers the first row holding the same
     * address, or 0 when this is the first (or the cell holds no address).
     */
    public long firstOf(long row, String cell) {
        String key = DuplicateKey.of(cell);
        if (key == null) {
            return 0;
        }
        long hash = hash(key);
        int mask = hashes.length - 1;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            if (rows[slot] == 0) {
                hashes[slot] = hash;
                rows[slot] = row;
                if (++size * 4 > hashes.length * 3) {
                    grow();
                }
                return 0;
            }
            if (hashes[slot] == hash) {
                return rows[slot];
            }
        }
    }

    private void grow() {
        long[] oldHashes = hashes;
        long[] oldRows = rows;
        hashes = new long[oldHashes.length * 2];
        rows = new long[oldRows.length * 2];
        int mask = hashes.length - 1;
        for (int i = 0; i < oldRows.length; i++) {
            if (oldRows[i] != 0) {
                int slot = (int) oldHashes[i] & mask;
                while (rows[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                rows[slot] = oldRows[i];
            }
        }
    }

    /** FNV-1a over the UTF-16 units, then the SplitMix64 finaliser to spread the bits. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
