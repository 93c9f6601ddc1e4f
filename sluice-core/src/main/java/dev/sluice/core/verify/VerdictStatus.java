package dev.sluice.core.verify;

import java.util.Locale;

/** The verdict users pay for. Closed: clients switch on the wire values. */
public enum VerdictStatus {

    /** The address passed every check that was run and can be mailed. */
    VALID,

    /** The address cannot receive mail: bad syntax, no such domain, or the mailbox was refused. */
    INVALID,

    /** The domain accepts every recipient, so the mailbox itself cannot be confirmed. */
    ACCEPT_ALL,

    /** No definitive answer: a check timed out, was greylisted or was not possible. */
    UNKNOWN;

    /** Computed once: it is written on every result row. */
    private final String wire = name().toLowerCase(Locale.ROOT);

    /** Wire value, e.g. {@code accept_all}. */
    public String wire() {
        return wire;
    }
}
