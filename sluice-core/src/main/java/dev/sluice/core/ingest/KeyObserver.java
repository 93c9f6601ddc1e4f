package dev.sluice.core.ingest;

/**
 * Sees each data record {@link FileLoader} writes, as it writes it: its row and the cell of the key column, so
 * that a caller needing one fact per row (the duplicate index of a verify batch) gets it from the loader's pass
 * instead of reading the chunk parts again.
 */
@FunctionalInterface
public interface KeyObserver {

    /** Observes nothing. */
    KeyObserver NONE = new KeyObserver() {
        @Override
        public void record(long row, String cell) {
        }

        @Override
        public void record(long row, char[] chars, int from, int to) {
        }
    };

    /**
     * @param row  1-based among the data records (headers, {@code sep=} lines and blank lines are not rows), the
     *             same numbering the chunk parts give when read in order
     * @param cell the key column's cell; empty when the record is shorter, or when the load requires no column
     */
    void record(long row, String cell);

    /**
     * As {@link #record(long, String)}, for a cell held in {@code chars[from..to)}, which the loader reuses once this
     * returns: an observer that can look at the chars where they lie spares the loader a string per row.
     */
    default void record(long row, char[] chars, int from, int to) {
        record(row, new String(chars, from, to - from));
    }
}
