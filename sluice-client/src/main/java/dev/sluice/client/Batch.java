package dev.sluice.client;

import java.time.Instant;

/**
 * One unit of input of a job and its progress.
 *
 * @param status       null when the server sent a status this client does not know yet
 * @param source       how the input came: {@code upload}, {@code inline}, {@code fetch} or {@code produced}
 * @param progress     percentage of records processed, 0 to 100
 * @param error        present only for failed and malformed batches
 * @param resultFormat format of the result once there is one ({@code csv}, {@code json}, ...), else null
 * @param nextRetryAt  when the next later attempt of its deferred records is due, null when none waits
 * @param estimate     the quote of a completed estimate batch, else null
 */
public record Batch(
        String id,
        String jobId,
        BatchStatus status,
        String source,
        RecordCounts records,
        double progress,
        BatchError error,
        String resultFormat,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt,
        Instant nextRetryAt,
        Estimate estimate) {

    /** A batch without a later attempt due and without an estimate. */
    public Batch(String id, String jobId, BatchStatus status, String source, RecordCounts records, double progress,
            BatchError error, String resultFormat, Instant createdAt, Instant updatedAt, Instant startedAt,
            Instant completedAt) {
        this(id, jobId, status, source, records, progress, error, resultFormat, createdAt, updatedAt, startedAt,
                completedAt, null, null);
    }

    /** True when the batch will not change status any more. */
    public boolean isTerminal() {
        return status != null && status.isTerminal();
    }
}
