package dev.sluice.server.job;

import org.springframework.stereotype.Component;

/**
 * The stored state of the batch lifecycle, one store per table: jobs, their batches, the batches' chunks and
 * the event log. The worker and {@link JobService} take them together; like the stores, it stays inside
 * {@code job}.
 */
@Component
record BatchState(JobStore jobs, BatchStore batches, ChunkStore chunks, EventStore events) {
}
