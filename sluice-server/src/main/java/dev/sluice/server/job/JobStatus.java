package dev.sluice.server.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a job takes work. What its batches are doing is summed up separately in {@link JobState}.
 */
public enum JobStatus {
    /** Accepts batches and processes them. */
    OPEN,
    /** Cancelled by the client: takes no batch, and its unfinished batches were cancelled. */
    CANCELLED,
    /**
     * Deleted by the client: no read finds it any more, it takes no batch, its unfinished batches were
     * cancelled, and the {@code job-purge} task removes its rows and files once running work has let go.
     */
    DELETING;

    private static final Map<JobStatus, Set<JobStatus>> TRANSITIONS = Map.of(
            OPEN, EnumSet.of(CANCELLED, DELETING),
            CANCELLED, EnumSet.of(DELETING),
            DELETING, EnumSet.noneOf(JobStatus.class));

    public boolean canMoveTo(JobStatus next) {
        return TRANSITIONS.get(this).contains(next);
    }

    public void checkMoveTo(JobStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
