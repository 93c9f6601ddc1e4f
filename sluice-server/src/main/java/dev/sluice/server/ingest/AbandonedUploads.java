package dev.sluice.server.ingest;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.JobProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Ends batches whose file never came: once their upload link expired more than
 * {@code sluice.ingest.abandon-upload-after} ago, they fail with {@code upload_expired}, so a job does not
 * wait for them for ever (its state, its stream, its notifications move on). Until then a client may ask
 * for a fresh link. Run by the recurring task {@value #TASK} every {@code sluice.job.purge-interval}, on one
 * node at a time; each batch moves by compare-and-set, so an upload arriving meanwhile wins or loses cleanly.
 */
@Component
public class AbandonedUploads {

    /** The recurring task's name. */
    public static final String TASK = "abandoned-uploads";

    /** Batches looked at per query; a run loops until none is left. */
    static final int PAGE = 200;

    private final BatchLifecycle batches;
    private final IngestProperties properties;
    private final Clock clock;

    AbandonedUploads(BatchLifecycle batches, IngestProperties properties, Clock clock) {
        this.batches = batches;
        this.properties = properties;
        this.clock = clock;
    }

    /** Fails every batch abandoned at {@code now}; answers how many this run moved. */
    public int failAbandoned(Instant now) {
        Instant before = now.minus(properties.abandonUploadAfter());
        int failed = 0;
        while (true) {
            List<Batch> page = batches.abandonedUploads(before, PAGE);
            int moved = 0;
            for (Batch batch : page) {
                String message = "no file was uploaded; the upload link expired at " + batch.uploadExpiresAt()
                        + " and the batch waited " + properties.abandonUploadAfter() + " more; create a new batch-file";
                if (batches.failAbandonedUpload(batch, message)) {
                    moved++;
                }
            }
            failed += moved;
            if (page.size() < PAGE || moved == 0) {
                return failed;
            }
        }
    }

    /** Registers the sweep as a recurring db-scheduler task (the scheduler starts it on boot). */
    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        RecurringTask<Void> abandonedUploadsTask(AbandonedUploads sweep, JobProperties properties, Clock clock) {
            return Tasks.recurring(TASK, FixedDelay.of(properties.purgeInterval()))
                    .execute((instance, context) -> sweep.failAbandoned(clock.instant()));
        }
    }
}
