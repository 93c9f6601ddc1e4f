package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import java.time.Instant;

/** A named container for work of one operation, owned by one account. */
public record Job(
        String id,
        String accountId,
        String name,
        Operation operation,
        ResultFormat outputFormat,
        JobStatus status,
        long version,
        Notification notification,
        int retentionHours,
        String idempotencyKey,
        String requestHash,
        RecordCounts records,
        Instant createdAt,
        Instant updatedAt) {
}
