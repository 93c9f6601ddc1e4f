package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import java.time.Instant;
import java.util.Map;

/**
 * A named container for work of one operation, owned by one account. {@code options} are the
 * operation's settings as the client gave them (a JSON object; each operation reads its own).
 */
public record Job(
        String id,
        String accountId,
        String name,
        Operation operation,
        Map<String, Object> options,
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
