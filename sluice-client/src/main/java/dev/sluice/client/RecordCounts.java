package dev.sluice.client;

/**
 * Record counters of a job or batch. {@code valid + invalid + acceptAll + unknown} add up to
 * {@code processed} for verify work.
 *
 * @param total     records found in the input (0 until loaded)
 * @param processed records with an outcome so far
 */
public record RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown) {

    /** All zero, as for a batch that has not been loaded yet. */
    public static final RecordCounts NONE = new RecordCounts(0, 0, 0, 0, 0, 0);
}
