package dev.sluice.core.result;

import java.util.Arrays;

/**
 * Tells, after one pass over the records of an import, whether two of them may share a key. It keeps a 64-bit
 * fingerprint of each key ({@link DuplicateIndex#hash}), 8 bytes a record, and sorts them once at the end. Equal
 * keys always give equal fingerprints, so a "no" is certain; a "maybe" comes from a real repeat or, for a million
 * distinct keys, about once in 3 x 10^7 files from two keys sharing a fingerprint. A caller answered "maybe" takes
 * the exact way (the database groups the keys), so a wrong "maybe" costs time, never a record. Not thread-safe.
 */
public final class KeyRepeats {

    private long[] fingerprints;
    private int size;

    /** Expects about {@code expected} keys; more are taken too. */
    public KeyRepeats(long expected) {
        fingerprints = new long[(int) Math.clamp(expected, 16, Integer.MAX_VALUE - 8)];
    }

    /** Adds a record's key, as one text that is equal for two records exactly when their keys are. */
    public void add(String key) {
        if (size == fingerprints.length) {
            fingerprints = Arrays.copyOf(fingerprints, (int) Math.min(Integer.MAX_VALUE - 8, size * 2L));
        }
        fingerprints[size++] = DuplicateIndex.hash(key);
    }

    /** Whether two of the keys added may be equal; false when they are all different for certain. */
    public boolean mayRepeat() {
        Arrays.sort(fingerprints, 0, size);
        for (int i = 1; i < size; i++) {
            if (fingerprints[i] == fingerprints[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
