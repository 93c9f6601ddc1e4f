package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.sluice.server.store.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one way into the batch lifecycle from outside {@code job}: creating a batch, queuing it (which
 * schedules its load), renewing its upload link and failing an abandoned one, and reading batches (and a
 * client's job). With the worker it is also the only class of {@code job} that schedules tasks (a batch's
 * load, a deleted job's purge, the assembly after the last deferred record is settled). The stores, the
 * worker and the task descriptors sit behind it ({@code ArchitectureTest} keeps other packages
 * off them). Writes run inside the caller's transaction, so a batch and the task it calls for are committed
 * together.
 */
@Component
public class BatchLifecycle {

    private final JobStore jobs;
    private final BatchStore batches;
    private final EventStore events;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final BatchTasks tasks;
    private final ObjectProvider<BatchWorker> worker;
    private final JobMetrics metrics;

    // the scheduler and the worker come late: the operations (export reads batches here) are theirs to run
    BatchLifecycle(JobStore jobs, BatchStore batches, EventStore events, ObjectProvider<SchedulerClient> scheduler,
            BatchTasks tasks, ObjectProvider<BatchWorker> worker, JobMetrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.batches = batches;
        this.events = events;
        this.scheduler = scheduler;
        this.tasks = tasks;
        this.worker = worker;
    }

    /**
     * A new batch of {@code job}, waiting for its file: the one place a batch is built.
     *
     * @param fileName        the file's name when known at creation (a multipart upload), else null
     * @param sourceUri       the URI to fetch ({@link BatchSource#FETCH}, sealed), else null
     * @param uploadExpiresAt when its upload link expires ({@link BatchSource#UPLOAD}), else null
     * @param recordLimit     the most records its file may hold
     */
    public static Batch newBatch(Job job, BatchSource source, String fileName, String sourceUri,
            Instant uploadExpiresAt, long recordLimit) {
        return new Batch(new Batch.Identity(Ids.next("bat"), job.id(), job.accountId()), BatchStatus.WAITING_FOR_UPLOAD,
                0, Batch.Input.waiting(source, fileName, sourceUri, uploadExpiresAt, recordLimit), Batch.Progress.NONE,
                Batch.Outcome.pending(job.outputFormat()), null, null);
    }

    /**
     * Inserts the batch into its job, in the caller's transaction, with a {@code batch_created} event when
     * {@code createdEvent} is given. False when the job is no longer open (cancelled, deleted).
     */
    public boolean insert(Batch batch, String createdEvent, Instant now) {
        if (!batches.insert(batch, now)) {
            return false;
        }
        if (createdEvent != null) {
            events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_CREATED, createdEvent, now);
        }
        return true;
    }

    /**
     * Queues a batch that has its input (or fetches or produces it), in the caller's transaction: the move to
     * {@code queued}, the {@code batch_queued} event and the load task. False when the batch moved meanwhile.
     */
    public boolean queue(Batch batch, String fileName, String inputKey, long size, String sha256, String event,
            Instant now) {
        if (!batches.markQueued(batch, fileName, inputKey, size, sha256, now)) {
            return false;
        }
        events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_QUEUED, event, now);
        tasks.schedule(scheduler.getObject(), tasks.loadInstance(batch.id()));
        return true;
    }

    /** A new upload link expiry for a batch still waiting for its file; false when it moved meanwhile. */
    public boolean renewUploadLink(Batch batch, Instant expiresAt, Instant now) {
        return batches.renewUploadLink(batch, expiresAt, now);
    }

    /** Up to {@code limit} batches still waiting for a file whose upload link expired before {@code before}. */
    public List<Batch> abandonedUploads(Instant before, int limit) {
        return batches.abandonedUploads(before, limit);
    }

    /**
     * Fails a batch that never got its file ({@code upload_expired}); false when it moved meanwhile (its upload
     * came, or it was cancelled).
     */
    public boolean failAbandonedUpload(Batch batch, String message) {
        return worker.getObject().failAbandonedUpload(batch, message);
    }

    /**
     * Settles records a chunk put aside for a later attempt ({@link RecordCounts#deferred}), in the caller's
     * transaction: adds {@code counts} to the batch and its job ({@code deferred} negative by the records
     * settled, {@code processed} and the outcome counters positive by as many), notes it in the job's events,
     * and schedules the assembly once nothing is deferred and every chunk is done. False, changing nothing,
     * when the batch is no longer in progress (cancelled, failed, deleted).
     */
    public boolean settleDeferred(String batchId, RecordCounts counts, String event, Instant now) {
        if (!batches.addWhileInProgress(batchId, counts, now)) {
            return false;
        }
        Batch after = batches.findById(batchId).orElseThrow();
        jobs.addProcessed(after.jobId(), counts, now);
        events.append(after.accountId(), after.jobId(), batchId, EventType.RECORDS_PROCESSED, event, now);
        if (after.records().deferred() == 0 && after.chunksDone() >= after.chunksTotal()) {
            tasks.schedule(scheduler.getObject(), tasks.assembleInstance(batchId));
        }
        Optional<Operation> operation = jobs.findById(after.jobId()).map(Job::operation);
        if (operation.isPresent() && TransactionSynchronizationManager.isSynchronizationActive()) {
            // the metrics count what was committed, as for a chunk
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    metrics.committed(operation.get(), counts);
                }
            });
        }
        return true;
    }

    /** The job a batch belongs to, whatever its status; empty once it is deleted. */
    public Optional<Job> jobOf(Batch batch) {
        return jobs.findById(batch.jobId());
    }

    /**
     * Schedules the purge of a job moved to {@code deleting}, in the caller's transaction; scheduling it again
     * is a no-op.
     */
    void schedulePurge(String accountId, String jobId) {
        scheduler.getObject().scheduleIfNotExists(tasks.purgeInstance(accountId, jobId));
    }

    /**
     * The job of the account as a client sees it (one being deleted is gone), for an operation that reads
     * another job when it checks its options (an export of a job's results).
     */
    public Optional<Job> job(String accountId, String jobId) {
        return jobs.find(accountId, jobId);
    }

    public Optional<Batch> find(String batchId) {
        return batches.findById(batchId);
    }

    /** The batches of a job, oldest first. */
    public List<Batch> ofJob(String jobId) {
        return batches.ofJob(jobId);
    }
}
