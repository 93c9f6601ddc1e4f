package dev.sluice.client;

import java.time.Instant;

/**
 * One entry of a job's log (created, batch queued, loaded, completed, failed, ...).
 *
 * @param id      increases along the log; the cursor of the next page
 * @param type    the kind of event, e.g. {@code batch.completed}
 * @param batchId the batch it concerns, or null for the job itself
 * @param message what happened, for people
 */
public record Event(long id, String type, String batchId, String message, Instant at) {
}
