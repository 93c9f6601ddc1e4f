package dev.sluice.server.job;

import java.util.Locale;
import java.util.Map;

/** A summary of a job's batches, derived from their counts by status. */
public enum JobState {
    /** No batch has been added, or every batch still waits for its upload. */
    WAITING,
    /** At least one batch is queued, loading or in progress. */
    IN_PROGRESS,
    /** Every batch reached a final status (completed, failed, malformed or cancelled). */
    COMPLETED,
    /** The job was cancelled. */
    CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobState of(JobStatus status, Map<BatchStatus, Long> batches) {
        if (status == JobStatus.CANCELLED) {
            return CANCELLED;
        }
        long active = batches.getOrDefault(BatchStatus.QUEUED, 0L)
                + batches.getOrDefault(BatchStatus.LOADING, 0L)
                + batches.getOrDefault(BatchStatus.IN_PROGRESS, 0L);
        if (active > 0) {
            return IN_PROGRESS;
        }
        long waiting = batches.getOrDefault(BatchStatus.WAITING_FOR_UPLOAD, 0L);
        long all = batches.values().stream().mapToLong(Long::longValue).sum();
        return all == 0 || waiting > 0 ? WAITING : COMPLETED;
    }
}
