package dev.sluice.server.job;

import java.util.Locale;

/**
 * One record counter an operation declares ({@link OperationPlugin#counters}): its own name and meaning, and
 * the stored slot ({@code records_<slot>} columns, the API's {@code records.<slot>} field) that holds it.
 * Each operation gives each slot at most one meaning, so a slot never means two things in one job; the
 * slot's wire name stays what the API, the metrics and the events have always shown.
 *
 * @param name    the operation's own name for the counter ({@code matched}, {@code unmatched}...)
 * @param slot    where it is stored and shown
 * @param meaning one sentence: which records it counts
 */
public record Counter(String name, Slot slot, String meaning) {

    /** The stored counter slots, shared by all operations; the wire name is the column's and the API's. */
    public enum Slot {
        /** Verify: verdict valid. */
        VALID,
        /** Verify: verdict invalid. */
        INVALID,
        /** Verify: verdict accept_all. */
        ACCEPT_ALL,
        /** Verify: verdict unknown. */
        UNKNOWN,
        /** Dataset operations: the record had the effect asked for. */
        COMPLETED,
        /** Dataset operations: the record was refused with a reason. */
        FAILED,
        /** Dataset operations: the record had no effect, without being an error. */
        IGNORED,
        /**
         * Verify: the record repeats an earlier record's address in its batch and took that verdict unverified
         * (it is counted in its status slot too).
         */
        DUPLICATES;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
