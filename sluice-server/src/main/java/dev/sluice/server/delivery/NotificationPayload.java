package dev.sluice.server.delivery;

import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Job;
import java.util.Optional;

/**
 * The body a front door sends instead of the native event, for the jobs it answers for: a seed whose
 * callback has a format of its own (the reference-data ticket) still goes through the one outbox, with its
 * retries, signatures and delivery log. Called inside the transaction that finished the batch, so what it
 * reads is what that transaction sees.
 */
public interface NotificationPayload {

    /** The JSON body (a map or list) for this finished batch, or empty when the job is not this front door's. */
    Optional<Object> render(Job job, Batch batch);
}
