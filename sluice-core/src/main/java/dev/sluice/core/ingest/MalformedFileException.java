package dev.sluice.core.ingest;

import java.util.Objects;

/** A file that cannot be loaded as a whole; the message says what was found and what to do next. */
public final class MalformedFileException extends Exception {

    private final MalformedReason reason;

    public MalformedFileException(MalformedReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The closed reason code. */
    public MalformedReason reason() {
        return reason;
    }
}
