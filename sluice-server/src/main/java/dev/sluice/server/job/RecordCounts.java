package dev.sluice.server.job;

import dev.sluice.core.result.VerifyCounts;

/**
 * Record counters of a batch or a job: {@code total} known after loading, {@code processed} grows as
 * chunks finish, and one stored slot per {@link Counter.Slot}. Which slots an operation fills, and what each
 * means for it, the operation declares ({@link OperationPlugin#counters}); an operation moves its own counters
 * with {@link #plus(Counter, long)}. {@code deferred} counts records put aside for a later attempt (verify: an
 * address a mail server answered "try again later"): they are not processed yet, so {@code processed +
 * deferred} never exceeds {@code total}, and a batch with deferred records does not assemble.
 * {@code duplicates} counts records repeating an earlier record's address in the batch (verify and estimate);
 * they are also counted in their status.
 */
public record RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
        long completed, long failed, long ignored, long deferred, long duplicates) {

    public static final RecordCounts ZERO = new RecordCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Counters with nothing deferred and no duplicates. */
    public RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
            long completed, long failed, long ignored) {
        this(total, processed, valid, invalid, acceptAll, unknown, completed, failed, ignored, 0, 0);
    }

    /** Counters of a verify batch. */
    public RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown) {
        this(total, processed, valid, invalid, acceptAll, unknown, 0, 0, 0);
    }

    public static RecordCounts processed(VerifyCounts counts) {
        return new RecordCounts(0, counts.records(), counts.valid(), counts.invalid(), counts.acceptAll(),
                counts.unknown(), 0, 0, 0, 0, counts.duplicates());
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
                deferred + amount, duplicates);
    }

    /** These counters with {@code amount} added to the slot of {@code counter}. */
    public RecordCounts plus(Counter counter, long amount) {
        Counter.Slot slot = counter.slot();
        return new RecordCounts(total, processed,
                valid + (slot == Counter.Slot.VALID ? amount : 0),
                invalid + (slot == Counter.Slot.INVALID ? amount : 0),
                acceptAll + (slot == Counter.Slot.ACCEPT_ALL ? amount : 0),
                unknown + (slot == Counter.Slot.UNKNOWN ? amount : 0),
                completed + (slot == Counter.Slot.COMPLETED ? amount : 0),
                failed + (slot == Counter.Slot.FAILED ? amount : 0),
                ignored + (slot == Counter.Slot.IGNORED ? amount : 0),
                deferred,
                duplicates + (slot == Counter.Slot.DUPLICATES ? amount : 0));
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
            case DUPLICATES -> duplicates;
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
