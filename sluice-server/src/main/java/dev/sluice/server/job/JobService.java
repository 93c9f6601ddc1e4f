package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Jobs as clients see them: create, read, list, cancel, delete, and their event log. */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobStore jobs;
    private final BatchStore batches;
    private final EventStore events;
    private final BlobStorage storage;
    private final TransactionTemplate tx;
    private final JobProperties properties;
    private final Operations operations;
    private final Clock clock;
    private final List<BatchListener> listeners;
    private final UriPasswords passwords;
    private final StorageSpace space;
    private final StorageQuota quota;
    private final BatchLifecycle lifecycle;

    JobService(BatchState state, BlobStorage storage, TransactionTemplate tx, JobProperties properties,
            Operations operations, Clock clock, List<BatchListener> listeners, UriPasswords passwords,
            StorageSpace space, StorageQuota quota, BatchLifecycle lifecycle) {
        this.jobs = state.jobs();
        this.batches = state.batches();
        this.events = state.events();
        this.storage = storage;
        this.tx = tx;
        this.properties = properties;
        this.operations = operations;
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
        this.passwords = passwords;
        this.space = space;
        this.quota = quota;
        this.lifecycle = lifecycle;
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
        OperationOptions options;
        try {
            options = operations.validate(request.operation(), caller.accountId(), request.options());
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
        Optional<Batch> starting = startingBatch(caller, job, options);
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
            Job other = jobs.findByIdempotencyKey(caller.accountId(), idempotencyKey).orElseThrow(() ->
                    new ProblemException(Problem.CONFLICT, "the job created with Idempotency-Key '" + idempotencyKey
                            + "' is being deleted; retry in a moment, or use another key"));
            return replay(other, requestHash);
        }
        // deleted already by a client that was quick: the job was created all the same
        return new Created(jobs.find(caller.accountId(), job.id()).orElse(job), true);
    }

    /**
     * The batch a job starts with, if any: an export produces its file from nothing; a job whose options
     * name a {@code source.uri} fetches that file.
     */
    private Optional<Batch> startingBatch(Caller caller, Job job, OperationOptions options) {
        BatchSource source;
        String uri = null;
        if (operations.producer(job.operation()).isPresent()) {
            source = BatchSource.PRODUCED;
        } else if (options.sourceUri().isPresent()) {
            source = BatchSource.FETCH;
            uri = passwords.seal(options.sourceUri().get());
        } else {
            return Optional.empty();
        }
        return Optional.of(BatchLifecycle.newBatch(job, source, null, uri, null, caller.recordLimit(Long.MAX_VALUE)));
    }

    private void queueInTransaction(Batch batch, Instant now) {
        if (!lifecycle.insert(batch, null, now)) {
            throw new IllegalStateException("job " + batch.jobId() + " refused its starting batch in the transaction that created it");
        }
        Batch inserted = batches.findById(batch.id()).orElseThrow();
        lifecycle.queue(inserted, null, null, 0, null,
                batch.source() == BatchSource.FETCH ? "queued to fetch " + UriPasswords.mask(batch.sourceUri()) : "queued",
                now);
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
            Job current = jobs.findById(job.id()).orElse(null);
            if (current == null || current.status() == JobStatus.DELETING) {
                // deleted by another request since the caller found it
                throw ProblemException.notFound("job", job.id());
            }
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
                return jobs.findById(job.id()).orElseThrow(() -> ProblemException.notFound("job", job.id()));
            }
        }
        throw new IllegalStateException("job " + job.id() + " kept changing while being cancelled; try again");
    }

    private void cancelBatch(Batch batch, Instant now) {
        Batch current = batch;
        while (current != null && current.status().canMoveTo(BatchStatus.CANCELLED)) {
            if (batches.move(current, BatchStatus.CANCELLED, now)) {
                operations.settleUnfinished(batches, jobs, current, now);
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
     * Deletes the job: in one transaction it moves to {@code deleting} (no read finds it from then on, no
     * batch joins it), its unfinished batches are cancelled (running tasks notice at their next step and
     * stop) and the purge is scheduled. The purge then runs here at once; should it fail (a task still
     * writing), the scheduled task finishes it. Answers false when the job was gone already.
     */
    public boolean delete(Job job) {
        // the files go first, before any commit: on a full disk the database needs the room they free to
        // record the delete (SQLite's journal grows before a commit); the purge removes late writers' files
        try {
            storage.deleteTree(BlobKeys.job(job.accountId(), job.id()));
        } catch (IOException | RuntimeException e) {
            log.info("job files not removed before the delete: job={} cause={}", job.id(), e.toString());
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            Job current = jobs.findById(job.id()).orElse(null);
            if (current == null || current.status() == JobStatus.DELETING) {
                return false;
            }
            Instant now = clock.instant();
            boolean marked;
            try {
                marked = Boolean.TRUE.equals(tx.execute(status -> {
                    if (!jobs.moveStatus(current, JobStatus.DELETING, now)) {
                        return false;
                    }
                    for (Batch batch : batches.ofJob(current.id())) {
                        stopBatch(batch, now);
                    }
                    lifecycle.schedulePurge(current.accountId(), current.id());
                    return true;
                }));
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                // a worker committing a chunk locks the batch, then the job; this locks the job, then the batches:
                // PostgreSQL picks one of the two as a deadlock victim, rolled back whole, so try again
                log.debug("job delete lost a lock race, retrying: job={} cause={}", current.id(), e.toString());
                continue;
            }
            if (marked) {
                try {
                    purge(current.accountId(), current.id());
                } catch (IOException | RuntimeException e) {
                    log.info("job purge deferred to its task: job={} cause={}", current.id(), e.toString());
                }
                return true;
            }
        }
        throw new IllegalStateException("job " + job.id() + " kept changing while being deleted; try again");
    }

    /** Cancels a batch of a job being deleted, without events or notifications: nobody may read them. */
    private void stopBatch(Batch batch, Instant now) {
        Batch current = batch;
        while (current != null && current.status().canMoveTo(BatchStatus.CANCELLED)) {
            if (batches.move(current, BatchStatus.CANCELLED, now)) {
                return;
            }
            current = batches.findById(current.id()).orElse(null);
        }
    }

    /**
     * Removes a deleted job's rows (its batches, chunks, events, and what its operation keeps per record),
     * then every blob under the job. Repeatable: a second run finds nothing and deletes nothing. A task that
     * still writes a file after this finds its batch gone at its next step and removes what it wrote.
     */
    public void purge(String accountId, String jobId) throws IOException {
        Job job = jobs.findById(jobId).orElse(null);
        if (job != null) {
            if (job.status() != JobStatus.DELETING) {
                throw new IllegalStateException("job " + jobId + " is " + job.status().wire() + ", not deleting");
            }
            tx.executeWithoutResult(status -> {
                operations.processor(job.operation()).ifPresent(processor -> batches.ofJob(job.id()).forEach(processor::forget));
                jobs.delete(job.id());
            });
            log.info("job deleted: job={}", jobId);
        }
        storage.deleteTree(BlobKeys.job(accountId, jobId));
    }
}
