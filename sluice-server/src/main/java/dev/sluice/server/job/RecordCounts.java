package dev.sluice.server.job;

import dev.sluice.core.result.VerifyCounts;

/**
 * Record counters of a batch or a job: {@code total} known after loading, {@code processed} grows as
 * chunks finish. Verify fills the verdict counts; the dataset operations fill {@code completed},
 * {@code failed} and {@code ignored} (append: {@code completed} = matched exactly or after normalisation,
 * {@code ignored} = not matched, blank match keys included; {@code failed} stays 0).
 */
public record RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
        long completed, long failed, long ignored) {

    public static final RecordCounts ZERO = new RecordCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Counters of a verify batch. */
    public RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown) {
        this(total, processed, valid, invalid, acceptAll, unknown, 0, 0, 0);
    }

    public static RecordCounts processed(VerifyCounts counts) {
        return new RecordCounts(0, counts.records(), counts.valid(), counts.invalid(), counts.acceptAll(),
                counts.unknown(), 0, 0, 0);
    }

    /** Counters of a dataset operation's chunk or completion. */
    public static RecordCounts outcomes(long processed, long completed, long failed, long ignored) {
        return new RecordCounts(0, processed, 0, 0, 0, 0, completed, failed, ignored);
    }

    /** Percentage of records processed, 0 to 100 with one decimal; 0 while the total is unknown. */
    public double progress() {
        if (total <= 0) {
            return 0;
        }
        return Math.floor(1000.0 * processed / total) / 10.0;
    }
}
