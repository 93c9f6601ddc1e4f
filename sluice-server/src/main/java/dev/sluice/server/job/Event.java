package dev.sluice.server.job;

import java.time.Instant;

/** One entry of a job's log. */
public record Event(long id, String jobId, String batchId, String type, String message, Instant at) {
}
