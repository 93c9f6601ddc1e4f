package dev.sluice.core.result;

import dev.sluice.core.verify.DuplicateKey;

/**
 * Finds, in one pass over a batch in row order, the first row holding each address ({@link DuplicateKey}). It
 * keeps a 128-bit fingerprint of the key (two independent 64-bit hashes) and the first row per distinct address
 * (24 bytes a slot, open addressing filled to at most three quarters: 32 to 64 bytes an address), not the keys
 * themselves, so a million addresses take 48 MB at most. Two different keys would look alike only if both
 * hashes matched (about one chance in 10^26 among a million addresses): a copy in a later chunk takes its first
 * copy's verdict on this index's word alone, as the keys are no longer at hand ({@link LaterCopies}). Not
 * thread-safe.
 */
public final class DuplicateIndex {

    private long[] hashes = new long[1 << 10];
    private long[] checks = new long[1 << 10];
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
        long check = check(key);
        int mask = hashes.length - 1;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            if (rows[slot] == 0) {
                hashes[slot] = hash;
                checks[slot] = check;
                rows[slot] = row;
                if (++size * 4 > hashes.length * 3) {
                    grow();
                }
                return 0;
            }
            if (hashes[slot] == hash && checks[slot] == check) {
                return rows[slot];
            }
        }
    }

    private void grow() {
        long[] oldHashes = hashes;
        long[] oldChecks = checks;
        long[] oldRows = rows;
        hashes = new long[oldHashes.length * 2];
        checks = new long[oldChecks.length * 2];
        rows = new long[oldRows.length * 2];
        int mask = hashes.length - 1;
        for (int i = 0; i < oldRows.length; i++) {
            if (oldRows[i] != 0) {
                int slot = (int) oldHashes[i] & mask;
                while (rows[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                checks[slot] = oldChecks[i];
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

    /** A second hash, independent of {@link #hash}: a polynomial over the UTF-16 units, then Murmur3's finaliser. */
    static long check(String key) {
        long h = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < key.length(); i++) {
            h = h * 0xc6a4a7935bd1e995L + key.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
