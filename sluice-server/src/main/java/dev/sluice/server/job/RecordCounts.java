package dev.sluice.server.job;

import dev.sluice.core.result.VerifyCounts;

/**
 * Record counters of a batch or a job: {@code total} known after loading, {@code processed} grows as
 * chunks finish, and one stored slot per {@link Counter.Slot}. Which slots an operation fills, and what each
 * means for it, the operation declares ({@link OperationPlugin#counters}); an operation moves its own counters
 * with {@link #plus(Counter, long)}. {@code deferred} counts records put aside for a later attempt (verify: an
 * address a mail server answered "try again later"): they are not processed yet, so {@code processed +
 * deferred} never exceeds {@code total}, and a batch with deferred records does not assemble.
 */
public record RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
        long completed, long failed, long ignored, long deferred) {

    public static final RecordCounts ZERO = new RecordCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Counters with nothing deferred. */
    public RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
            long completed, long failed, long ignored) {
        this(total, processed, valid, invalid, acceptAll, unknown, completed, failed, ignored, 0);
    }

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

    /** Counters with only {@code processed} set; add the operation's own with {@link #plus(Counter, long)}. */
    public static RecordCounts processedOnly(long processed) {
        return new RecordCounts(0, processed, 0, 0, 0, 0, 0, 0, 0);
    }

    /** These counters with {@code amount} added to {@code deferred}. */
    public RecordCounts plusDeferred(long amount) {
        return new RecordCounts(total, processed, valid, invalid, acceptAll, unknown, completed, failed, ignored,
                deferred + amount);
    }

    /** These counters with {@code amount} added to the slot of {@code counter}. */
    public RecordCounts plus(Counter counter, long amount) {
        return plusSlot(counter, amount).plusDeferred(deferred);
    }

    private RecordCounts plusSlot(Counter counter, long amount) {
        return switch (counter.slot()) {
            case VALID -> new RecordCounts(total, processed, valid + amount, invalid, acceptAll, unknown, completed,
                    failed, ignored);
            case INVALID -> new RecordCounts(total, processed, valid, invalid + amount, acceptAll, unknown, completed,
                    failed, ignored);
            case ACCEPT_ALL -> new RecordCounts(total, processed, valid, invalid, acceptAll + amount, unknown,
                    completed, failed, ignored);
            case UNKNOWN -> new RecordCounts(total, processed, valid, invalid, acceptAll, unknown + amount, completed,
                    failed, ignored);
            case COMPLETED -> new RecordCounts(total, processed, valid, invalid, acceptAll, unknown,
                    completed + amount, failed, ignored);
            case FAILED -> new RecordCounts(total, processed, valid, invalid, acceptAll, unknown, completed,
                    failed + amount, ignored);
            case IGNORED -> new RecordCounts(total, processed, valid, invalid, acceptAll, unknown, completed, failed,
                    ignored + amount);
        };
    }

    /** The value of an operation's counter. */
    public long get(Counter counter) {
        return switch (counter.slot()) {
            case VALID -> valid;
            case INVALID -> invalid;
            case ACCEPT_ALL -> acceptAll;
            case UNKNOWN -> unknown;
            case COMPLETED -> completed;
            case FAILED -> failed;
            case IGNORED -> ignored;
        };
    }

    /** Percentage of records processed, 0 to 100 with one decimal; 0 while the total is unknown. */
    public double progress() {
        if (total <= 0) {
            return 0;
        }
        return Math.floor(1000.0 * processed / total) / 10.0;
    }
}
