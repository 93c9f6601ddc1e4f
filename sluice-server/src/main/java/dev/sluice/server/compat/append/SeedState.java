package dev.sluice.server.compat.append;

import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.JobStatus;
import java.util.Map;

/** The seed's state words for a batch(-file) and a job, read from the native statuses. */
enum SeedState {
    /** A batch-file whose upload link has not been used yet; a job without batches or waiting for uploads. */
    WAITING_FOR_UPLOAD,
    /** The records are stored and wait for a worker (native {@code queued}). */
    QUEUED,
    /** A worker is loading or processing the records (native {@code loading} and {@code in_progress}). */
    IN_PROGRESS,
    /** The result is ready; for a job, every batch is finished and at least one completed. */
    COMPLETED,
    /** Processing failed or was cancelled (native {@code failed}, {@code cancelled}); for a job, no batch completed. */
    FAILED,
    /** The file could not be read as records (native {@code malformed}). */
    MALFORMED;

    /** One native batch status in the seed's words. */
    static SeedState of(BatchStatus status) {
        return switch (status) {
            case WAITING_FOR_UPLOAD -> WAITING_FOR_UPLOAD;
            case QUEUED -> QUEUED;
            case LOADING, IN_PROGRESS -> IN_PROGRESS;
            case COMPLETED -> COMPLETED;
            case FAILED, CANCELLED -> FAILED;
            case MALFORMED -> MALFORMED;
        };
    }

    /**
     * A job's state from its batches: in progress while any batch is, else queued while any is, else waiting
     * while any batch (or no batch at all) waits for its upload; once every batch is finished, completed if
     * one completed and failed otherwise. A cancelled job is failed.
     */
    static SeedState ofJob(JobStatus job, Map<SeedState, Long> batches) {
        if (job == JobStatus.CANCELLED) {
            return FAILED;
        }
        if (batches.getOrDefault(IN_PROGRESS, 0L) > 0) {
            return IN_PROGRESS;
        }
        if (batches.getOrDefault(QUEUED, 0L) > 0) {
            return QUEUED;
        }
        long all = batches.values().stream().mapToLong(Long::longValue).sum();
        if (all == 0 || batches.getOrDefault(WAITING_FOR_UPLOAD, 0L) > 0) {
            return WAITING_FOR_UPLOAD;
        }
        return batches.getOrDefault(COMPLETED, 0L) > 0 ? COMPLETED : FAILED;
    }
}
