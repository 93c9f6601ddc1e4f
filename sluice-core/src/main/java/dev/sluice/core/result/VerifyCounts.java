package dev.sluice.core.result;

/**
 * Records verified per verdict status, for one chunk or summed over a batch.
 *
 * @param records   all records, equal to the sum of the four statuses and {@code later}
 * @param valid     records with status {@code valid}
 * @param invalid   records with status {@code invalid}
 * @param acceptAll records with status {@code accept_all}
 * @param unknown   records with status {@code unknown}
 * @param duplicates records that repeat an earlier record's address and took its verdict (also counted in
 *                   their status, or in {@code later})
 * @param later     copies of an earlier chunk's rows, written without a verdict: the assembly gives them their first
 *                  copy's ({@link LaterCopies}), so they are counted in no status yet (also counted in
 *                  {@code duplicates})
 */
public record VerifyCounts(long records, long valid, long invalid, long acceptAll, long unknown, long duplicates,
        long later) {

    private static final VerifyCounts ZERO = new VerifyCounts(0, 0, 0, 0, 0, 0, 0);

    public VerifyCounts {
        if (records < 0 || valid < 0 || invalid < 0 || acceptAll < 0 || unknown < 0 || duplicates < 0 || later < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Counts of copies that all took their verdict in the run. */
    public VerifyCounts(long records, long valid, long invalid, long acceptAll, long unknown, long duplicates) {
        this(records, valid, invalid, acceptAll, unknown, duplicates, 0);
    }

    /** Counts without duplicates. */
    public VerifyCounts(long records, long valid, long invalid, long acceptAll, long unknown) {
        this(records, valid, invalid, acceptAll, unknown, 0, 0);
    }

    /** No records. */
    public static VerifyCounts zero() {
        return ZERO;
    }

    /** The field-by-field sum of both counts. */
    public VerifyCounts plus(VerifyCounts o) {
        return new VerifyCounts(records + o.records, valid + o.valid, invalid + o.invalid,
                acceptAll + o.acceptAll, unknown + o.unknown, duplicates + o.duplicates, later + o.later);
    }
}
