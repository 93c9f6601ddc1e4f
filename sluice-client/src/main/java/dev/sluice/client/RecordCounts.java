package dev.sluice.client;

/**
 * Record counters of a job or batch. For verify work {@code valid + invalid + acceptAll + unknown} add up
 * to {@code processed}; for dataset work (import, append, export) {@code completed + failed + ignored} do.
 *
 * @param total     records found in the input (0 until loaded)
 * @param processed records with an outcome so far
 * @param completed import: records written; append: records matched; export: records written
 * @param failed    import: records refused (see the batch's outcomes)
 * @param ignored   import: existing records kept ({@code ignore}); append: records without a match
 * @param deferred  verify: addresses a mail server answered "try again later", waiting for a later attempt;
 *                  not processed yet (the batch stays in progress until none is left)
 * @param duplicates verify: records repeating an earlier record's address in the batch, given its verdict
 *                   unverified (also counted in their status)
 */
public record RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
        long completed, long failed, long ignored, long deferred, long duplicates) {

    /** All zero, as for a batch that has not been loaded yet. */
    public static final RecordCounts NONE = new RecordCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Counters with nothing deferred and no duplicates, as every operation but verify has. */
    public RecordCounts(long total, long processed, long valid, long invalid, long acceptAll, long unknown,
            long completed, long failed, long ignored) {
        this(total, processed, valid, invalid, acceptAll, unknown, completed, failed, ignored, 0, 0);
    }
}
