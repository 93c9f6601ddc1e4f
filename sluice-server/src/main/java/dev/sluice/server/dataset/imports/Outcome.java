package dev.sluice.server.dataset.imports;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What happened to one record of a dataset operation, stored by 0-based index in {@code record_outcomes}. */
public enum Outcome {
    /** The record was written to the dataset. */
    COMPLETED,
    /** The record could not be read (a value of the wrong type, a required value missing); with an error. */
    FAILED,
    /**
     * The record was left out on purpose: its key was already there ({@code ignore}), or a later record of
     * the same file had the same key ({@code update} / {@code replace}; for {@code ignore} an earlier one).
     */
    IGNORED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromWire(String value) {
        for (Outcome outcome : values()) {
            if (outcome.wire().equals(value)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + value + "'; use one of "
                + Arrays.stream(values()).map(Outcome::wire).collect(Collectors.joining(", ")));
    }
}
