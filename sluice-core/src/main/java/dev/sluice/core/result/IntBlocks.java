package dev.sluice.core.result;

import java.util.ArrayList;
import java.util.List;

/**
 * A growing sequence of ints kept in blocks of {@value #BLOCK} ints, so that growing never copies what is there:
 * an array doubled in place holds the old and the new copy at once, three times the data for a moment, which a
 * batch of millions of rows cannot afford on a small heap. Not thread-safe.
 */
final class IntBlocks {

    private static final int SHIFT = 16;
    static final int BLOCK = 1 << SHIFT;
    private static final int MASK = BLOCK - 1;

    private final List<int[]> blocks = new ArrayList<>();
    private long size;

    void add(int value) {
        int at = (int) (size & MASK);
        if (at == 0) {
            blocks.add(new int[BLOCK]);
        }
        blocks.get(blocks.size() - 1)[at] = value;
        size++;
    }

    int get(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        return blocks.get((int) (index >>> SHIFT))[(int) (index & MASK)];
    }

    long size() {
        return size;
    }
}
