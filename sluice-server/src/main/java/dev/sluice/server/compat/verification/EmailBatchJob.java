package dev.sluice.server.compat.verification;

import java.time.Instant;

/**
 * One email batch task: the seed's 52-character {@code jobId} mapped onto a native job and its one batch.
 * {@code downloadedAt} and {@code creditCost} are set together, once, by the first download.
 */
public record EmailBatchJob(
        String jobId,
        String accountId,
        String nativeJobId,
        String nativeBatchId,
        String submittedFile,
        long estmTotalTrans,
        Instant createdAt,
        Instant downloadedAt,
        Long creditCost) {

    public boolean downloaded() {
        return downloadedAt != null;
    }
}
