package dev.sluice.server.api;

import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Job;
import dev.sluice.server.verify.VerifyRetries;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * When the next later attempt of a job's or batch's deferred records is due, for their {@code next_retry_at}:
 * asked of the store only while the counters say some record is deferred.
 */
@Component
class NextRetries {

    private final VerifyRetries retries;

    NextRetries(VerifyRetries retries) {
        this.retries = retries;
    }

    /** The batch's next retry, or null when none of its records is deferred. */
    Instant of(Batch batch) {
        return batch.records().deferred() > 0 ? retries.nextRetryOfBatch(batch.id()).orElse(null) : null;
    }

    /** The job's next retry, or null when none of its records is deferred. */
    Instant of(Job job) {
        return job.records().deferred() > 0 ? retries.nextRetryOfJob(job.id()).orElse(null) : null;
    }
}
