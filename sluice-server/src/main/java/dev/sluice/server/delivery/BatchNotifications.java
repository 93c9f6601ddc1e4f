package dev.sluice.server.delivery;

import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Notification;
import java.util.Optional;

/**
 * A listener of one batch, besides its job's: a seed that takes a callback URL per batch (the email-append
 * door's batch-file {@code notification_URL}) hands it to the one outbox, so it gets the same retries,
 * signatures and delivery log as the job's. Called inside the transaction that finished the batch.
 */
public interface BatchNotifications {

    /** The batch's own listener (its URL sealed by {@code store.UriPasswords}), or empty when it has none. */
    Optional<Notification> of(Job job, Batch batch);
}
