package dev.sluice.server.job;

import dev.sluice.core.result.VerifyCounts;

/**
 * Record counters of a batch or a job: {@code total} known after loading, {@code processed} grows as
 * chunks finish, and the verdict counts add up to {@code processed}.
 */
public record RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown) {

    public static final RecordCounts ZERO = new RecordCounts(0, 0, 0, 0, 0, 0);

    public static RecordCounts processed(VerifyCounts counts) {
        return new RecordCounts(0, counts.records(), counts.valid(), counts.invalid(), counts.acceptAll(),
                counts.unknown());
    }

    /** Percentage of records processed, 0 to 100 with one decimal; 0 while the total is unknown. */
    public double progress() {
        if (total <= 0) {
            return 0;
        }
        return Math.floor(1000.0 * processed / total) / 10.0;
    }
}
