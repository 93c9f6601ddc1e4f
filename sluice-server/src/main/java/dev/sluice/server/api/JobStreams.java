package dev.sluice.server.api;

import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.BatchView;
import dev.sluice.server.api.Views.EventView;
import dev.sluice.server.api.Views.JobView;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Event;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.JobState;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open live job streams of this node. Each stream reads its job from the store every
 * {@code sluice.stream.poll-interval} (so it works on any node, whichever node runs the work) and sends
 * what changed as server-sent events:
 * <ul>
 *   <li>{@code job}: the job as {@code GET /api/v1/jobs/{id}} shows it, whenever it differs from the last one sent;
 *   <li>{@code batch}: one batch as {@code GET .../batches/{batch}} shows it, whenever it changed;
 *   <li>{@code log}: each new entry of the job's event log, oldest first, with the entry's id as the event id;
 *   <li>{@code end}: {@code {"reason": "final" | "deleted"}}, the last event, after which the server closes the
 *       stream: the job reached a final state (completed or cancelled), or it was deleted.
 * </ul>
 * At most {@code sluice.stream.max-open} streams are open at once, and at most
 * {@code sluice.stream.max-open-per-account} of one account, so one account cannot lock the others out;
 * each ends after
 * {@code sluice.stream.timeout} at the latest, and a silent one carries a comment line every
 * {@code sluice.stream.keep-alive} so that a vanished client is noticed.
 */
@Component
class JobStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobStreams.class);
    /** Threads that poll; a client that stops reading can hold one only until its stream times out. */
    private static final int POLL_THREADS = 2;
    /** Log entries sent per poll at most; the rest follow on the next polls. */
    private static final int LOG_PAGE = 200;

    private final JobService jobs;
    private final NextRetries nextRetries;
    private final StreamProperties properties;
    private final Clock clock;
    private final Semaphore slots;
    /** Streams open per account id; an account leaves the map when its last stream closes. */
    private final Map<String, Integer> perAccount = new ConcurrentHashMap<>();
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(POLL_THREADS,
            Thread.ofPlatform().name("job-stream-", 0).daemon(true).factory());
    private volatile boolean running;
    private volatile boolean stopped;

    JobStreams(JobService jobs, StreamProperties properties, Clock clock, NextRetries nextRetries) {
        this.jobs = jobs;
        this.nextRetries = nextRetries;
        this.properties = properties;
        this.clock = clock;
        this.slots = new Semaphore(properties.maxOpen());
    }

    /** Opens a stream on a job the caller owns; answers 429 when every slot is taken. */
    SseEmitter open(Caller caller, Job job) {
        if (stopped) {
            throw new ProblemException(Problem.TOO_MANY_STREAMS,
                    "this node is shutting down and opens no more live job streams; retry on another node");
        }
        if (!takeAccountSlot(caller.accountId())) {
            throw new ProblemException(Problem.TOO_MANY_STREAMS, "this account already has "
                    + properties.maxOpenPerAccount() + " live job streams open on this node, its limit; close one, "
                    + "retry later, or poll GET /api/v1/jobs/" + job.id() + " instead");
        }
        if (!slots.tryAcquire()) {
            releaseAccountSlot(caller.accountId());
            throw new ProblemException(Problem.TOO_MANY_STREAMS, "this node already serves its limit of "
                    + properties.maxOpen() + " live job streams; close one, retry later, or poll GET /api/v1/jobs/"
                    + job.id() + " instead");
        }
        SseEmitter emitter = new SseEmitter(properties.timeout().toMillis());
        Stream stream = new Stream(caller, job.id(), emitter);
        open.add(stream);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(() -> {
            // completing here ends the response quietly; otherwise Spring MVC raises a timeout error
            // into a response that is already an event stream
            stream.close();
            emitter.complete();
        });
        emitter.onError(error -> stream.close());
        try {
            // the first poll may run before the emitter is handed to Spring MVC: early events are buffered
            stream.task = poller.scheduleWithFixedDelay(stream::poll, 0, properties.pollInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stream.close();
            throw new ProblemException(Problem.TOO_MANY_STREAMS,
                    "this node is shutting down and opens no more live job streams; retry on another node");
        }
        return emitter;
    }

    private boolean takeAccountSlot(String accountId) {
        boolean[] taken = {false};
        perAccount.compute(accountId, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= properties.maxOpenPerAccount()) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void releaseAccountSlot(String accountId) {
        perAccount.computeIfPresent(accountId, (id, count) -> count <= 1 ? null : count - 1);
    }

    /** Streams open now (for tests and diagnostics). */
    int openCount() {
        return open.size();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every stream before the web server's graceful shutdown starts (this bean's phase comes first),
     * so that open streams never hold a shutdown up; clients reconnect to another node.
     */
    @Override
    public void stop() {
        stopped = true;
        running = false;
        for (Stream stream : List.copyOf(open)) {
            stream.close();
            stream.emitter.complete();
        }
        poller.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One client's stream: what it was last sent, so that only changes go out. */
    private final class Stream {

        private final Caller caller;
        private final String jobId;
        private final SseEmitter emitter;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Map<String, BatchView> batchesSent = new HashMap<>();
        private volatile ScheduledFuture<?> task;
        private JobView jobSent;
        private long lastLogId;
        private Instant lastSend;

        Stream(Caller caller, String jobId, SseEmitter emitter) {
            this.caller = caller;
            this.jobId = jobId;
            this.emitter = emitter;
        }

        /** Runs on a poll thread, never twice at once for one stream (fixed delay). */
        void poll() {
            if (closed.get()) {
                cancelTask();
                return;
            }
            try {
                Optional<Job> found = jobs.find(caller, jobId);
                if (found.isEmpty()) {
                    finish("deleted");
                    return;
                }
                // the state is read first: once it is final, the batches and log read after it are final too
                Job job = found.get();
                Map<BatchStatus, Long> counts = jobs.batchCounts(job);
                JobState state = jobs.state(job, counts);
                JobView view = JobView.of(job, counts, state, nextRetries.of(job));
                if (!view.equals(jobSent)) {
                    send(SseEmitter.event().name("job").data(view, MediaType.APPLICATION_JSON));
                    jobSent = view;
                }
                for (Batch batch : jobs.batches(job)) {
                    BatchView batchView = BatchView.of(batch, null, nextRetries.of(batch));
                    if (!batchView.equals(batchesSent.get(batch.id()))) {
                        send(SseEmitter.event().name("batch").data(batchView, MediaType.APPLICATION_JSON));
                        batchesSent.put(batch.id(), batchView);
                    }
                }
                List<Event> entries = jobs.events(job, lastLogId, LOG_PAGE);
                for (Event entry : entries) {
                    send(SseEmitter.event().name("log").id(String.valueOf(entry.id()))
                            .data(EventView.of(entry), MediaType.APPLICATION_JSON));
                    lastLogId = entry.id();
                }
                boolean ended = state == JobState.COMPLETED || state == JobState.CANCELLED;
                if (ended && entries.size() < LOG_PAGE) {
                    finish("final");
                } else if (lastSend == null || !clock.instant().isBefore(lastSend.plus(properties.keepAlive()))) {
                    send(SseEmitter.event().comment("keep-alive"));
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away, or the emitter was completed meanwhile (timeout, shutdown)
                close();
            } catch (RuntimeException e) {
                log.warn("live stream of job {} failed; closing it", jobId, e);
                emitter.completeWithError(e);
                close();
            }
        }

        private void send(SseEmitter.SseEventBuilder event) throws IOException {
            emitter.send(event);
            lastSend = clock.instant();
        }

        private void finish(String reason) throws IOException {
            send(SseEmitter.event().name("end").data(Map.of("reason", reason), MediaType.APPLICATION_JSON));
            // the slot is free before the client sees the end, so that it may open a stream again at once
            close();
            emitter.complete();
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                cancelTask();
                open.remove(this);
                slots.release();
                releaseAccountSlot(caller.accountId());
            }
        }

        private void cancelTask() {
            ScheduledFuture<?> scheduled = task;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
