package dev.sluice.client;

import java.time.Instant;
import java.util.Map;

/**
 * A job: a named container of batches that all do the same {@link Operation}.
 *
 * @param options        the operation's options as the server keeps them (dataset, match, transcripts, ...)
 * @param status         the job's status word: {@code open} or {@code cancelled}
 * @param state          a summary of its batches: {@code waiting}, {@code in_progress}, {@code completed},
 *                       {@code cancelled} (kept as sent, for forward compatibility; see {@link #isFinished()})
 * @param notification   where batch outcomes are announced, or null
 * @param retentionHours how long results are kept after a batch finishes
 * @param progress       percentage of records processed, 0 to 100
 * @param nextRetryAt    when the next later attempt of a deferred record is due, null when none waits
 */
public record Job(
        String id,
        String name,
        Operation operation,
        Map<String, Object> options,
        String status,
        String state,
        OutputFormat outputFormat,
        Notification notification,
        int retentionHours,
        BatchCounts batches,
        RecordCounts records,
        double progress,
        Instant createdAt,
        Instant updatedAt,
        Instant nextRetryAt) {

    /** True when every batch reached a final status, or the job was cancelled. */
    public boolean isFinished() {
        return "completed".equals(state) || "cancelled".equals(state);
    }
}
