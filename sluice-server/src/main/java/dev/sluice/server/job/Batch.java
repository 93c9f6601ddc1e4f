package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import java.time.Instant;
import java.util.List;

/**
 * One unit of input inside a job, with its own status, counters and result. {@code recordLimit} is the
 * most records its file may hold (smaller for evaluation keys). The file facts ({@code columns} onwards)
 * are known once the batch is loaded.
 */
public record Batch(
        String id,
        String jobId,
        String accountId,
        BatchSource source,
        BatchStatus status,
        long version,
        String fileName,
        String inputKey,
        String sourceUri,
        Long sizeBytes,
        String sha256,
        Instant uploadExpiresAt,
        long recordLimit,
        List<String> columns,
        Integer keyColumn,
        String charset,
        String delimiter,
        RecordCounts records,
        int chunksTotal,
        int chunksDone,
        String errorCode,
        String errorMessage,
        ResultFormat resultFormat,
        String resultName,
        Instant resultExpiresAt,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt) {
}
