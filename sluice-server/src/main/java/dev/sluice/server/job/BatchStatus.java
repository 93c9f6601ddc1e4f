package dev.sluice.server.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Where a batch is in its life. Every move is listed in {@link #TRANSITIONS}. */
public enum BatchStatus {
    /** Created with an upload URL; no file yet. */
    WAITING_FOR_UPLOAD,
    /** The input is stored and waits for a worker to load it. */
    QUEUED,
    /** A worker is reading the file: sniffing, counting records, cutting chunks. */
    LOADING,
    /** Chunks are being processed. */
    IN_PROGRESS,
    /** Every record has a result and the result file is ready. */
    COMPLETED,
    /**
     * Processing stopped on an error that retries did not cure, or the file never came and the upload link
     * expired long ago ({@code upload_expired}); the reason is recorded.
     */
    FAILED,
    /** The file could not be read as records (no email column, binary, empty...); the reason is recorded. */
    MALFORMED,
    /** Stopped by the client before it finished. */
    CANCELLED;

    private static final Map<BatchStatus, Set<BatchStatus>> TRANSITIONS = Map.of(
            WAITING_FOR_UPLOAD, EnumSet.of(QUEUED, FAILED, CANCELLED),
            QUEUED, EnumSet.of(LOADING, FAILED, CANCELLED),
            LOADING, EnumSet.of(IN_PROGRESS, MALFORMED, FAILED, CANCELLED),
            IN_PROGRESS, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(BatchStatus.class),
            FAILED, EnumSet.noneOf(BatchStatus.class),
            MALFORMED, EnumSet.noneOf(BatchStatus.class),
            CANCELLED, EnumSet.noneOf(BatchStatus.class));

    public boolean canMoveTo(BatchStatus next) {
        return TRANSITIONS.get(this).contains(next);
    }

    /** Throws {@link IllegalTransitionException} unless the table allows {@code this -> next}. */
    public void checkMoveTo(BatchStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }

    /** No move leads out of a final status. */
    public boolean isFinal() {
        return TRANSITIONS.get(this).isEmpty();
    }

    /** The wire and database spelling, e.g. {@code waiting_for_upload}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
