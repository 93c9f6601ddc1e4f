package dev.sluice.client;

import java.time.Instant;

/**
 * A job: a named container of batches that all do the same {@link Operation}.
 *
 * @param status   the job's status word as the server reports it
 * @param state    the job's state word as the server reports it (kept as sent, for forward compatibility)
 * @param progress percentage of records processed, 0 to 100
 */
public record Job(
        String id,
        String name,
        Operation operation,
        String status,
        String state,
        OutputFormat outputFormat,
        BatchCounts batches,
        RecordCounts records,
        double progress,
        Instant createdAt,
        Instant updatedAt) {
}
