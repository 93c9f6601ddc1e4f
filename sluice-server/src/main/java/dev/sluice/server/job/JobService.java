package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.Names;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.StorageSpace;
import dev.sluice.server.store.Ids;
import dev.sluice.server.store.UriPasswords;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Jobs as clients see them: create, read, list, cancel, delete, and their event log. */
@Service
public class JobService {

    private final JobStore jobs;
    private final BatchStore batches;
    private final EventStore events;
    private final BlobStorage storage;
    private final TransactionTemplate tx;
    private final JobProperties properties;
    private final Operations operations;
    private final SchedulerClient scheduler;
    private final BatchTasks tasks;
    private final Clock clock;
    private final List<BatchListener> listeners;
    private final UriPasswords passwords;
    private final StorageSpace space;
    private final StorageQuota quota;

    public JobService(JobStore jobs, BatchStore batches, EventStore events, BlobStorage storage, TransactionTemplate tx,
            JobProperties properties, Operations operations, SchedulerClient scheduler, BatchTasks tasks, Clock clock,
            List<BatchListener> listeners, UriPasswords passwords, StorageSpace space, StorageQuota quota) {
        this.jobs = jobs;
        this.batches = batches;
        this.events = events;
        this.storage = storage;
        this.tx = tx;
        this.properties = properties;
        this.operations = operations;
        this.scheduler = scheduler;
        this.tasks = tasks;
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
        this.passwords = passwords;
        this.space = space;
        this.quota = quota;
    }

    /** What a client asks for when creating a job. */
    public record NewJob(String name, Operation operation, Map<String, Object> options, ResultFormat outputFormat,
            Notification notification, Duration retention) {
    }

    /** A created or found job, and whether this call created it. */
    public record Created(Job job, boolean created) {
    }

    /**
     * Creates the job, or with an idempotency key already used by this account answers the job it created
     * ({@link IdempotencyConflictException} when the request differs).
     */
    public Created create(Caller caller, NewJob request, String idempotencyKey, String requestHash) {
        Names.check("name", request.name());
        try {
            operations.validate(request.operation(), caller.accountId(), request.options());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        if (idempotencyKey != null) {
            Optional<Job> existing = jobs.findByIdempotencyKey(caller.accountId(), idempotencyKey);
            if (existing.isPresent()) {
                return replay(existing.get(), requestHash);
            }
        }
        Instant now = clock.instant();
        Duration retention = request.retention() != null ? request.retention() : properties.retention();
        // URI passwords (source.uri, the notification URL) are stored sealed; only the fetch and the delivery open them
        Notification notification = request.notification() == null ? null
                : new Notification(passwords.seal(request.notification().url()), request.notification().method());
        Job job = new Job(Ids.next("job"), caller.accountId(), request.name(), request.operation(),
                request.options() == null ? Map.of() : passwords.sealAll(request.options()), request.outputFormat(),
                JobStatus.OPEN, 0, notification, (int) Math.max(1, retention.toHours()),
                idempotencyKey, requestHash, RecordCounts.ZERO, now, now);
        Optional<Batch> starting = startingBatch(caller, job);
        if (starting.isPresent()) {
            // a fetched or produced file is a new upload too
            space.requireRoomForUpload();
            quota.roomForUpload(caller.accountId(), 0);
        }
        try {
            tx.executeWithoutResult(status -> {
                jobs.insert(job, now);
                events.append(job.accountId(), job.id(), null, EventType.JOB_CREATED,
                        "job '" + job.name() + "' created for " + job.operation().wire(), now);
                starting.ifPresent(batch -> queueInTransaction(batch, now));
            });
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // Two requests with the same key raced; the other one won.
            return replay(jobs.findByIdempotencyKey(caller.accountId(), idempotencyKey).orElseThrow(), requestHash);
        }
        return new Created(jobs.find(caller.accountId(), job.id()).orElseThrow(), true);
    }

    /**
     * The batch a job starts with, if any: an export produces its file from nothing; a job whose options
     * name a {@code source.uri} fetches that file.
     */
    private Optional<Batch> startingBatch(Caller caller, Job job) {
        BatchSource source;
        String uri = null;
        if (operations.producer(job.operation()).isPresent()) {
            source = BatchSource.PRODUCED;
        } else if (job.options().get("source") instanceof Map<?, ?> sourceOptions && sourceOptions.get("uri") != null) {
            source = BatchSource.FETCH;
            uri = String.valueOf(sourceOptions.get("uri"));
        } else {
            return Optional.empty();
        }
        return Optional.of(new Batch(Ids.next("bat"), job.id(), job.accountId(), source, BatchStatus.WAITING_FOR_UPLOAD,
                0, null, null, uri, null, null, null, caller.recordLimit(Long.MAX_VALUE), null, null, null, null,
                RecordCounts.ZERO, 0, 0, null, null, job.outputFormat(), null, null, null, null, null, null));
    }

    private void queueInTransaction(Batch batch, Instant now) {
        batches.insert(batch, now);
        Batch inserted = batches.findById(batch.id()).orElseThrow();
        batches.markQueued(inserted, null, null, 0, null, now);
        events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_QUEUED,
                batch.source() == BatchSource.FETCH ? "queued to fetch " + UriPasswords.mask(batch.sourceUri()) : "queued",
                now);
        scheduler.scheduleIfNotExists(tasks.loadInstance(batch.id()));
    }

    private static Created replay(Job job, String requestHash) {
        if (requestHash != null && !requestHash.equals(job.requestHash())) {
            throw new IdempotencyConflictException(job.idempotencyKey());
        }
        return new Created(job, false);
    }

    public Optional<Job> find(Caller caller, String jobId) {
        return jobs.find(caller.accountId(), jobId);
    }

    public List<Job> page(Caller caller, JobStatus status, String cursor, int limit) {
        return jobs.page(caller.accountId(), status, cursor, limit);
    }

    public Map<BatchStatus, Long> batchCounts(Job job) {
        return jobs.batchCounts(job.id());
    }

    public JobState state(Job job, Map<BatchStatus, Long> batchCounts) {
        return JobState.of(job.status(), batchCounts);
    }

    public List<Batch> batches(Job job) {
        return batches.ofJob(job.id());
    }

    public Optional<Batch> batch(Caller caller, String jobId, String batchId) {
        return batches.find(caller.accountId(), jobId, batchId);
    }

    public List<Event> events(Job job, long after, int limit) {
        return events.page(job.id(), after, limit);
    }

    /** Cancels the job and every batch not yet finished. Cancelling a cancelled job changes nothing. */
    public Job cancel(Job job) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Job current = jobs.findById(job.id()).orElseThrow();
            if (current.status() == JobStatus.CANCELLED) {
                return current;
            }
            Instant now = clock.instant();
            boolean done = Boolean.TRUE.equals(tx.execute(status -> {
                if (!jobs.moveStatus(current, JobStatus.CANCELLED, now)) {
                    return false;
                }
                for (Batch batch : batches.ofJob(current.id())) {
                    cancelBatch(batch, now);
                }
                events.append(current.accountId(), current.id(), null, EventType.JOB_CANCELLED, "job cancelled", now);
                return true;
            }));
            if (done) {
                return jobs.findById(job.id()).orElseThrow();
            }
        }
        throw new IllegalStateException("job " + job.id() + " kept changing while being cancelled; try again");
    }

    private void cancelBatch(Batch batch, Instant now) {
        Batch current = batch;
        while (current != null && current.status().canMoveTo(BatchStatus.CANCELLED)) {
            if (batches.move(current, BatchStatus.CANCELLED, now)) {
                events.append(current.accountId(), current.jobId(), current.id(), EventType.BATCH_CANCELLED,
                        "batch cancelled while " + current.status().wire(), now);
                Batch cancelled = batches.findById(current.id()).orElseThrow();
                Job job = jobs.findById(current.jobId()).orElseThrow();
                listeners.forEach(listener -> listener.batchFinished(job, cancelled));
                return;
            }
            current = batches.findById(current.id()).orElse(null);
        }
    }

    /**
     * Removes the job, its batches, events, what its operation keeps per record, and every blob it owns. The
     * blobs go first: on a full disk the database needs the room they free to record the delete (SQLite's
     * journal grows before a commit), and a delete that failed after them is simply asked again.
     */
    public void delete(Job job) throws IOException {
        storage.deleteTree(BlobKeys.job(job.accountId(), job.id()));
        tx.executeWithoutResult(status -> {
            operations.processor(job.operation()).ifPresent(processor -> batches.ofJob(job.id()).forEach(processor::forget));
            jobs.delete(job.id());
        });
    }
}
