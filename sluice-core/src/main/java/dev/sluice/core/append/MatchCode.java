package dev.sluice.core.append;

import java.util.Locale;

/** How an input record matched a dataset record; written to the result as {@code sluice_match}. */
public enum MatchCode {

    /** Every match column is equal to the dataset's value after trimming and case-folding only. */
    EXACT,

    /** Every match column is equal after full normalisation, and at least one is not equal without it. */
    NORMALIZED,

    /** No dataset record has the record's normalised key (or the record's match columns are all blank). */
    NONE;

    /** Wire value, e.g. {@code normalized}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
