package dev.sluice.server.verify;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import dev.sluice.core.result.ChunkDuplicates;
import dev.sluice.core.result.PartPatches;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Transcripts;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.RecordCounts;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Greylisting and other temporary SMTP answers, the long way ({@code sluice.verify.smtp.retry-after}). A chunk
 * puts aside every address still answered "try again later" after the in-conversation tries: its result row
 * is written provisionally ({@code unknown / greylisted}) and its place in the part recorded in the store,
 * the record counts as {@code deferred}, and a retry task per batch and due time is scheduled. That task asks
 * the due addresses again in one go (the engine groups them by domain), holding no worker or connection in
 * between: a definitive answer, or the last attempt's temporary one, settles the address; another temporary
 * answer puts it aside until the next delay. Settling moves the batch's counters, and the last settled
 * address schedules the assembly, where the settled rows replace the provisional ones in their parts. A copy of a
 * put-aside address in the same chunk is put aside too, as a copy of its first row: never asked again, it
 * settles with that row's final verdict, its own cells, row and {@code sluice_duplicate_of}, once that row is
 * settled and the copy's chunk is done. A copy in a later chunk gets the final verdict at assembly
 * ({@link #settledVerdicts}).
 * Everything lives in the store and the task table, so a node killed during the wait loses nothing.
 */
@Component
public class VerifyRetries {

    /** Asks a batch's due deferred addresses again; data: {@code <batch id>/<due epoch millis>/<origin>}. */
    static final TaskDescriptor<String> RETRY = TaskDescriptor.of("verify-retry", String.class);

    private static final Logger log = LoggerFactory.getLogger(VerifyRetries.class);

    /**
     * How long a task holds the addresses it asks: no other task asks them meanwhile, and should this one die,
     * they come due again after it (a task scheduled for then picks them up).
     */
    static final Duration LEASE = Duration.ofMinutes(10);

    private final VerifyDeferredStore store;
    private final TranscriptStore transcripts;
    private final BatchLifecycle lifecycle;
    private final VerificationEngine engine;
    private final VerifyProperties.CacheScope cacheScope;
    private final List<Duration> delays;
    /** Whether the SMTP stage runs at all: only its answers are temporary ones. */
    private final boolean smtpRuns;
    private final TransactionTemplate tx;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final Clock clock;

    // the scheduler comes late: it runs this class's task
    VerifyRetries(VerifyDeferredStore store, TranscriptStore transcripts, BatchLifecycle lifecycle,
            VerificationEngine engine, VerifyProperties properties, TransactionTemplate tx,
            ObjectProvider<SchedulerClient> scheduler, Clock clock) {
        this.store = store;
        this.transcripts = transcripts;
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
        this.delays = properties.smtp().retryAfter();
        this.smtpRuns = properties.dns().enabled() && properties.smtp().enabled();
        this.tx = tx;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Whether a verdict is put aside for a later attempt: a temporary answer, while later attempts are set. */
    boolean defers(Verdict verdict) {
        return !delays.isEmpty() && temporary(verdict);
    }

    /**
     * Whether a chunk of this node may put addresses aside: the SMTP stage runs and later attempts are set.
     * Such a chunk is not processed during its batch's load: one that met a temporary answer would be declined
     * and run again, asking that address twice within seconds.
     */
    boolean mayPutAside() {
        return smtpRuns && !delays.isEmpty();
    }

    private static boolean temporary(Verdict verdict) {
        return verdict.reason() == Reason.GREYLISTED || verdict.reason() == Reason.SMTP_TEMPORARY_FAILURE;
    }

    /**
     * Records the chunk's addresses put aside (none: removes those of an earlier run of the chunk) and schedules
     * their first later attempt, in one transaction, before the chunk itself commits.
     */
    void putAside(Batch batch, Chunk chunk, List<VerifyPass.MarkedRow> rows) {
        if (delays.isEmpty() || rows.isEmpty() && !store.hasChunk(batch.id(), chunk.index())) {
            return;
        }
        Instant due = dueAfter(delays.get(0));
        List<VerifyDeferredStore.Aside> aside = rows.stream()
                .map(r -> new VerifyDeferredStore.Aside(r.row(), r.cell(), r.fields(), r.start(), r.end(),
                        r.duplicateOf()))
                .toList();
        tx.executeWithoutResult(status -> {
            store.replaceChunk(batch.id(), batch.jobId(), chunk.index(), aside, due);
            if (!aside.isEmpty()) {
                scheduler.getObject().scheduleIfNotExists(instance(batch.id(), due, "c" + chunk.index()));
            }
        });
        if (!aside.isEmpty()) {
            log.info("addresses put aside for a later attempt: batch={} chunk={} addresses={} due={}", batch.id(),
                    chunk.index(), aside.size(), due);
        }
    }

    /**
     * Runs the retry task of a batch: asks the due addresses again, settles or puts aside each, and comes back
     * for due addresses whose chunk was not committed yet. A batch no longer in progress loses its rows.
     */
    void retry(String data, SchedulerClient scheduler) throws IOException {
        String batchId = data.substring(0, data.indexOf('/'));
        // what this task schedules is named after it (a fixed-length digest of its name, which names would
        // otherwise grow with each attempt), so that tasks running at once never add the same one
        String origin = "r" + Integer.toHexString(data.hashCode());
        Optional<Batch> found = lifecycle.find(batchId).filter(b -> b.status() == BatchStatus.IN_PROGRESS);
        Optional<Job> job = found.flatMap(lifecycle::jobOf);
        if (found.isEmpty() || job.isEmpty()) {
            store.deleteBatch(batchId);
            return;
        }
        Batch batch = found.get();
        Instant now = clock.instant();
        List<VerifyDeferredStore.Due> due = claim(batchId, store.due(batchId, now), scheduler, origin);
        if (!due.isEmpty()) {
            ask(job.get(), batch, due, scheduler, origin);
        }
        settleCopies(job.get(), batch);
        if (store.waitingDue(batchId, now) > 0 || store.copiesAwaitChunk(batchId)) {
            // their chunk has not committed yet (it may still run again): look again a little later
            scheduler.scheduleIfNotExists(instance(batchId, dueAfter(delays.isEmpty() ? Duration.ofSeconds(1)
                    : delays.get(0)), origin));
        }
    }

    /** The due addresses this task takes, in one transaction with the task that picks them up should it die. */
    private List<VerifyDeferredStore.Due> claim(String batchId, List<VerifyDeferredStore.Due> due,
            SchedulerClient scheduler, String origin) {
        if (due.isEmpty()) {
            return due;
        }
        Instant lease = dueAfter(LEASE);
        List<VerifyDeferredStore.Due> taken = new ArrayList<>(due.size());
        tx.executeWithoutResult(status -> {
            for (VerifyDeferredStore.Due row : due) {
                if (store.claim(batchId, row, lease)) {
                    taken.add(row);
                }
            }
            if (!taken.isEmpty()) {
                scheduler.scheduleIfNotExists(instance(batchId, lease, origin));
            }
        });
        return taken;
    }

    private void ask(Job job, Batch batch, List<VerifyDeferredStore.Due> due, SchedulerClient scheduler,
            String origin) throws IOException {
        VerifyOptions options = VerifyOptions.parse(job.options());
        List<String> cells = due.stream().map(VerifyDeferredStore.Due::cell).toList();
        List<Verdict> verdicts;
        if (options.transcripts()) {
            // the later attempt's conversations join the address's transcript, after the chunk's
            Transcripts kept = new Transcripts();
            verdicts = engine.verifyAll(cells, cacheScope.of(job.accountId()), kept);
            keepTranscripts(job, batch, due, verdicts, kept);
        } else {
            verdicts = engine.verifyAll(cells, cacheScope.of(job.accountId()));
        }
        VerifyPass pass = new VerifyPass(asked -> {
            throw new IllegalStateException("a retry renders rows, it verifies nothing through the pass");
        }, batch.resultFormat(), batch.columns(), batch.keyColumn(), options.escapeFormulas());
        List<byte[]> rows = new ArrayList<>(due.size());
        for (int i = 0; i < due.size(); i++) {
            VerifyDeferredStore.Due row = due.get(i);
            rows.add(pass.render(row.fields(), row.row(), verdicts.get(i)));
        }
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            RecordCounts settled = RecordCounts.ZERO;
            for (int i = 0; i < due.size(); i++) {
                VerifyDeferredStore.Due row = due.get(i);
                Verdict verdict = verdicts.get(i);
                int next = row.attempt() + 1;
                if (temporary(verdict) && next < delays.size()) {
                    Instant at = dueAfter(delays.get(next));
                    if (store.reschedule(batch.id(), row, at)) {
                        scheduler.scheduleIfNotExists(instance(batch.id(), at, origin));
                    }
                } else if (store.settle(batch.id(), row, rows.get(i), verdict)) {
                    settled = plus(settled, verdict);
                }
            }
            if (settled.processed() > 0 && !lifecycle.settleDeferred(batch.id(), settled,
                    settled.processed() + " deferred records answered after a later attempt", now)) {
                // cancelled or failed meanwhile: nothing waits for these answers any more
                status.setRollbackOnly();
            }
        });
        log.debug("deferred addresses asked again: batch={} addresses={}", batch.id(), due.size());
    }

    /**
     * Settles the copies whose first row is settled and whose chunk is done, with that row's verdict as their
     * chunk copied it (a later chunk reads it through {@link ChunkDuplicates}), asking nothing.
     */
    private void settleCopies(Job job, Batch batch) throws IOException {
        List<VerifyDeferredStore.ReadyCopy> ready = store.readyCopies(batch.id());
        if (ready.isEmpty()) {
            return;
        }
        VerifyPass pass = new VerifyPass(asked -> {
            throw new IllegalStateException("a copy renders its first row's verdict, it verifies nothing");
        }, batch.resultFormat(), batch.columns(), batch.keyColumn(),
                VerifyOptions.parse(job.options()).escapeFormulas());
        List<byte[]> rows = new ArrayList<>(ready.size());
        for (VerifyDeferredStore.ReadyCopy copy : ready) {
            rows.add(pass.render(copy.fields(), copy.row(), copy.verdict(), copy.copyOf()));
        }
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            RecordCounts settled = RecordCounts.ZERO;
            for (int i = 0; i < ready.size(); i++) {
                if (store.settleCopy(batch.id(), ready.get(i), rows.get(i))) {
                    settled = plus(settled, ready.get(i).verdict());
                }
            }
            if (settled.processed() > 0 && !lifecycle.settleDeferred(batch.id(), settled,
                    settled.processed() + " deferred copies settled with their first copy's answer", now)) {
                status.setRollbackOnly();
            }
        });
    }

    /** Adds each chunk's share of a later attempt to its transcripts. */
    private void keepTranscripts(Job job, Batch batch, List<VerifyDeferredStore.Due> due, List<Verdict> verdicts,
            Transcripts kept) {
        Map<Integer, List<Integer>> byChunk = new TreeMap<>();
        for (int i = 0; i < due.size(); i++) {
            byChunk.computeIfAbsent(due.get(i).chunkIndex(), c -> new ArrayList<>()).add(i);
        }
        byChunk.forEach((chunk, indexes) -> transcripts.addAttempt(job.id(), batch.id(), chunk,
                indexes.stream().map(i -> due.get(i).cell()).toList(), indexes.stream().map(verdicts::get).toList(),
                kept));
    }

    /** {@code counts} with one more record settled with {@code verdict}. */
    private static RecordCounts plus(RecordCounts counts, Verdict verdict) {
        RecordCounts one = switch (verdict.status()) {
            case VALID -> new RecordCounts(0, 1, 1, 0, 0, 0, 0, 0, 0, -1, 0);
            case INVALID -> new RecordCounts(0, 1, 0, 1, 0, 0, 0, 0, 0, -1, 0);
            case ACCEPT_ALL -> new RecordCounts(0, 1, 0, 0, 1, 0, 0, 0, 0, -1, 0);
            case UNKNOWN -> new RecordCounts(0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0);
        };
        return new RecordCounts(0, counts.processed() + one.processed(), counts.valid() + one.valid(),
                counts.invalid() + one.invalid(), counts.acceptAll() + one.acceptAll(),
                counts.unknown() + one.unknown(), 0, 0, 0, counts.deferred() + one.deferred(), counts.duplicates());
    }

    /** The settled rows of a batch as patches of its parts, by chunk index. */
    Map<Integer, List<PartPatches.Patch>> patches(String batchId) {
        return store.patches(batchId);
    }

    /** The final verdicts of the batch's settled addresses, by row, for copies of them in later chunks. */
    Map<Long, Verdict> settledVerdicts(String batchId) {
        return store.settledVerdicts(batchId);
    }

    /** Removes what the batch kept here: it completed, ended, or its retention or job ended. */
    void forget(String batchId) {
        store.deleteBatch(batchId);
    }

    /** When the batch's next later attempt is due; empty when none of its addresses waits. */
    public Optional<Instant> nextRetryOfBatch(String batchId) {
        return store.nextRetryOfBatch(batchId);
    }

    /** When the next later attempt of any batch of the job is due; empty when none waits. */
    public Optional<Instant> nextRetryOfJob(String jobId) {
        return store.nextRetryOfJob(jobId);
    }

    /** Rounded up to the second, so that a task asks the addresses of chunks finishing close together at once. */
    private Instant dueAfter(Duration delay) {
        long millis = clock.instant().plus(delay).toEpochMilli();
        return Instant.ofEpochMilli((millis + 999) / 1000 * 1000);
    }

    /**
     * A retry task of the batch due at {@code due}, named also after who schedules it ({@code origin}: a chunk, or
     * the retry task running): two chunks committing at once each add their own instead of colliding on one name,
     * which on PostgreSQL failed the second chunk's transaction and ran the chunk, and its SMTP probes, again. The
     * first task to run asks every due address of the batch; the others find none left.
     */
    private static SchedulableInstance<String> instance(String batchId, Instant due, String origin) {
        String id = batchId + "/" + due.toEpochMilli() + "/" + origin;
        return RETRY.instance(id).data(id).scheduledTo(due);
    }
}
