package dev.sluice.client;

import java.time.Instant;

/**
 * One unit of input of a job and its progress.
 *
 * @param status   null when the server sent a status this client does not know yet
 * @param progress percentage of records processed, 0 to 100
 * @param error    present only for failed and malformed batches
 */
public record Batch(
        String id,
        String jobId,
        BatchStatus status,
        RecordCounts records,
        double progress,
        BatchError error,
        Instant createdAt,
        Instant updatedAt) {

    /** True when the batch will not change status any more. */
    public boolean isTerminal() {
        return status != null && status.isTerminal();
    }
}
