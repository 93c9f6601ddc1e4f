package dev.sluice.server.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a job does with its records. */
public enum Operation {
    /** Verify every email address: valid, invalid, accept_all or unknown, with a reason. */
    VERIFY,
    /** Load records into a dataset (ignore / update / replace), all or nothing under an error threshold. */
    IMPORT,
    /** Add fields from a dataset to each input record, matched on normalised keys. */
    APPEND,
    /** Write a dataset (or a finished job's results) to a zipped file, downloadable and in the SFTP drop. */
    EXPORT,
    /**
     * Quote a verify before running it: every check but SMTP (syntax, lists, duplicates, account rules, the cache,
     * DNS), giving the batch an estimate of what a verify would find, cost and take.
     */
    ESTIMATE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire spelling; the message lists what is allowed. */
    public static Operation fromWire(String value) {
        for (Operation op : values()) {
            if (op.wire().equals(value)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + value + "'; use one of "
                + Arrays.stream(values()).map(Operation::wire).collect(Collectors.joining(", ")));
    }
}
