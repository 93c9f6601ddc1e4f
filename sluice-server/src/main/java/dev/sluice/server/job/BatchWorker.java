package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.sluice.core.ingest.ChunkSink;
import dev.sluice.core.ingest.FileLoader;
import dev.sluice.core.ingest.KeyObserver;
import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.core.result.DuplicateScan;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.ingest.LoadSummary;
import dev.sluice.core.ingest.MalformedFileException;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The three steps of a batch, each run as a task by any worker: load (read the file, cut chunks),
 * process one chunk, assemble the result. Each step is safe to run again after a crash at any point:
 * blobs are replaced whole, counters move only with a compare-and-set of the chunk they count, and the
 * next step is scheduled in the same transaction as the state change that calls for it.
 */
@Component
class BatchWorker {

    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

    /** The column every verify file must have. */
    static final String EMAIL_COLUMN = "email";

    /** The batch error code of a source URI that could not be fetched. */
    static final String FETCH_FAILED = "fetch_failed";

    /** The error code of a batch whose file never came before its upload link expired long ago. */
    public static final String UPLOAD_EXPIRED = "upload_expired";

    private final JobStore jobs;
    private final BatchStore batches;
    private final ChunkStore chunks;
    private final EventStore events;
    private final BlobStorage storage;
    private final TransactionTemplate tx;
    private final JobProperties properties;
    private final Operations operations;
    private final SourceFetcher fetcher;
    private final List<BatchListener> listeners;
    private final Clock clock;

    private final BatchTasks tasks;
    private final JobMetrics metrics;
    private final EarlyChunks early;

    BatchWorker(BatchState state, BlobStorage storage, TransactionTemplate tx, JobProperties properties,
            Operations operations, SourceFetcher fetcher, Clock clock, BatchTasks tasks, List<BatchListener> listeners,
            JobMetrics metrics, EarlyChunks early) {
        this.jobs = state.jobs();
        this.batches = state.batches();
        this.chunks = state.chunks();
        this.events = state.events();
        this.storage = storage;
        this.tx = tx;
        this.properties = properties;
        this.operations = operations;
        this.fetcher = fetcher;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.tasks = tasks;
        this.metrics = metrics;
        this.early = early;
    }

    /**
     * Reads the batch's input, writes chunk inputs, records the chunks and schedules them; for a produced
     * batch, produces its file instead. Answers false when the batch's source must be fetched but this node
     * runs as many fetches as it may: nothing was done, and the caller runs the load again shortly.
     */
    public boolean load(String batchId, SchedulerClient scheduler) throws IOException {
        Batch batch = startLoading(batchId);
        if (batch == null) {
            return true;
        }
        if (batch.status() == BatchStatus.COMPLETED && batch.source() == BatchSource.PRODUCED) {
            republish(batch);
            return true;
        }
        if (batch.status() != BatchStatus.LOADING) {
            return true;
        }
        Job job = jobs.findById(batch.jobId()).orElse(null);
        if (job == null) {
            forgetIfGone(batch); // deleted between the two reads
            return true;
        }
        Optional<OutputProducer<?>> producer = operations.producer(job.operation());
        if (producer.isPresent()) {
            produce(job, batch, producer.get());
            return true;
        }
        if (batch.source() == BatchSource.FETCH) {
            Optional<Batch> fetched = fetch(batch);
            if (fetched == null) {
                return false;
            }
            if (fetched.isEmpty()) {
                return true;
            }
            batch = fetched.get();
        }
        loadChunks(job, processor(job.operation()), batch, scheduler);
        return true;
    }

    /** Moves a queued batch to loading; answers the batch as it is now, or null when there is nothing to do. */
    private Batch startLoading(String batchId) {
        Batch batch = batches.findById(batchId).orElse(null);
        if (batch == null || batch.status() != BatchStatus.QUEUED) {
            return batch;
        }
        if (!batches.markLoading(batch, clock.instant())) {
            return null;
        }
        return batches.findById(batchId).orElseThrow();
    }

    /** A previous run completed the produced batch but failed while publishing it: publish again. */
    private void republish(Batch batch) {
        Job job = jobs.findById(batch.jobId()).orElseThrow();
        operations.producer(job.operation()).ifPresent(producer -> publish(producer, job, batch));
    }

    /**
     * Cuts the batch's file into chunk inputs and records the chunks, with the job's options read once. Chunks cut
     * while the load reads on may be processed meanwhile ({@link EarlyChunks}).
     */
    private <O extends OperationOptions> void loadChunks(Job job, ChunkProcessor<O> processor, Batch batch,
            SchedulerClient scheduler) throws IOException {
        O options = processor.read(job.options());
        LoadOptions loadOptions = processor.loadOptions(options, batch, properties.chunkSize());
        // only operations folding duplicates pay for the index, fed by the loader's own pass
        DuplicateScan duplicates = processor.foldsDuplicates(options)
                ? new DuplicateScan(loadOptions.chunkSize()) : null;
        EarlyChunks.Load earlyLoad = processor.processesWhileLoading(options) ? early.load() : null;
        ChunkInputs inputs = new ChunkInputs();
        ChunkClosed closed = earlyLoad == null ? ChunkClosed.NONE : (index, records, columns, keyColumn) -> {
            // the chunk's copies of earlier rows are all recorded by now (the scan is read on this thread only)
            DuplicatePlan copies = duplicates == null ? DuplicatePlan.NONE : duplicates.copiesOf(index);
            Batch laidOut = batch.withLayout(columns, keyColumn);
            Chunk chunk = new Chunk(batch.id(), index, ChunkStatus.PENDING, 0,
                    (long) index * loadOptions.chunkSize() + 1, records);
            earlyLoad.offer(index, columns, keyColumn, () -> {
                inputs.await(index);
                return processWhileLoading(job, processor, options, laidOut, chunk, copies);
            });
        };
        LoadSummary summary = cutChunks(batch, loadOptions,
                duplicates == null ? KeyObserver.NONE : duplicates, closed, earlyLoad, inputs);
        if (summary == null) {
            return;
        }
        List<Long> sizes = chunkSizes(summary.records(), properties.chunkSize());
        if (sizes.size() != summary.chunks()) {
            throw new IllegalStateException("the loader cut " + summary.chunks() + " chunks where " + sizes.size()
                    + " were expected for " + summary.records() + " records");
        }
        if (duplicates != null) {
            recordDuplicates(batch, summary, duplicates);
        }
        Map<Integer, RecordCounts> adopted = earlyLoad == null ? Map.of()
                : earlyLoad.adopted(summary.columns(), summary.keyColumn());
        recordChunks(job, batch, summary, sizes, adopted, scheduler);
    }

    /**
     * Waits, when the load ends whichever way, for the chunks processed meanwhile: closed before the load's
     * failure is handled, so that none of them writes a file after the batch's files were removed.
     */
    private record AwaitedEarly(EarlyChunks.Load earlyLoad) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            if (earlyLoad == null) {
                return;
            }
            try {
                earlyLoad.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while chunks processed during the load finish");
            }
        }
    }

    /** Told of each chunk input the load completed, while it reads on. */
    @FunctionalInterface
    private interface ChunkClosed {
        ChunkClosed NONE = (index, records, columns, keyColumn) -> {
        };

        void closed(int index, long records, List<String> columns, int keyColumn) throws IOException;
    }

    /** Processes a chunk of a batch still loading: its counters, or empty when the processor declined it. */
    private <O extends OperationOptions> Optional<RecordCounts> processWhileLoading(Job job,
            ChunkProcessor<O> processor, O options, Batch batch, Chunk chunk, DuplicatePlan copies)
            throws IOException {
        @SuppressWarnings("unchecked")
        Optional<RecordCounts>[] counts = new Optional[] {Optional.empty()};
        try (InputStream in = storage.open(BlobKeys.chunkInput(batch, chunk.index()));
             SideFiles sideFiles = new SideFiles(storage)) {
            storage.write(BlobKeys.part(batch, chunk.index()), out -> {
                counts[0] = processor.processWhileLoading(job, options, batch, chunk, copies, in, out, sideFiles);
                if (counts[0].isEmpty()) {
                    // declined: the part stays as it was, and the chunk's task writes it
                    throw new EarlyChunkDeclined();
                }
            });
            sideFiles.await();
        } catch (EarlyChunkDeclined e) {
            return Optional.empty();
        }
        return counts[0];
    }

    /** Thrown inside a part's write to drop it when the processor declined to process the chunk early. */
    private static final class EarlyChunkDeclined extends RuntimeException {
        EarlyChunkDeclined() {
            super("declined", null, false, false);
        }
    }

    /**
     * Writes each chunk's duplicates, as the load found them, beside its input, before any chunk is recorded: a load
     * that dies here is run again whole, so no chunk ever runs without its plan.
     */
    private void recordDuplicates(Batch batch, LoadSummary summary, DuplicateScan duplicates) throws IOException {
        // stored a few at once, as the chunk inputs are: on a bucket, a hundred plans one after the other would keep
        // the load waiting a hundred round trips
        try (ChunkInputs plans = new ChunkInputs()) {
            duplicates.plans(summary.chunks(), (index, plan) -> {
                if (!plan.isEmpty()) {
                    try (OutputStream out = plans.track(index, storage.create(BlobKeys.duplicates(batch, index)))) {
                        plan.write(out);
                    }
                }
            });
            plans.awaitAll();
        }
        // chunks processed during the load handed out all their first copies: the assembly reads these only
        storage.write(BlobKeys.keptRows(batch), duplicates::writeKeptRows);
    }

    /**
     * Reads the batch's input and writes one chunk input per chunk, each stored while the load reads on
     * ({@link ChunkInputs}); answers once every one is stored. Answers null when the batch ended instead: the file
     * is malformed (the batch is marked so), or the batch was cancelled or deleted meanwhile.
     */
    private LoadSummary cutChunks(Batch batch, LoadOptions options, KeyObserver observer, ChunkClosed closed,
            EarlyChunks.Load earlyLoad, ChunkInputs inputs) throws IOException {
        storage.deleteTree(BlobKeys.chunks(batch));
        // closed in reverse: the chunks processed meanwhile end first, then every store still running
        try (InputStream in = storage.open(batch.inputKey());
             ChunkInputs stores = inputs;
             AwaitedEarly awaited = new AwaitedEarly(earlyLoad)) {
            LoadSummary summary = new FileLoader(options).load(in, new ChunkSink() {
                @Override
                public OutputStream open(int index) throws IOException {
                    // a batch cancelled or deleted meanwhile stops the loader here, before its next chunk
                    requireStatus(batch.id(), BatchStatus.LOADING);
                    return stores.track(index, storage.create(BlobKeys.chunkInput(batch, index)));
                }

                @Override
                public void closed(int index, long records, List<String> columns, int keyColumn) throws IOException {
                    closed.closed(index, records, columns, keyColumn);
                }
            }, observer);
            stores.awaitAll();
            return summary;
        } catch (MalformedFileException e) {
            markMalformed(batch, e);
            return null;
        } catch (BatchStoppedException e) {
            log.info("loading stopped: batch={} reason={}", batch.id(), e.getMessage());
            storage.deleteTree(BlobKeys.chunks(batch));
            forgetIfGone(batch);
            return null;
        }
    }

    /**
     * In one transaction: the batch moves to in progress with its file facts, its chunks are recorded, those
     * processed during the load ({@code adopted}) as done and the others scheduled, and the job's total grows. A
     * batch cancelled or deleted meanwhile takes no chunk rows.
     */
    private void recordChunks(Job job, Batch batch, LoadSummary summary, List<Long> sizes,
            Map<Integer, RecordCounts> adopted, SchedulerClient scheduler) throws IOException {
        String batchId = batch.id();
        Instant now = clock.instant();
        boolean loaded = Boolean.TRUE.equals(tx.execute(status -> {
            // the batch first: cancelled or deleted meanwhile, it takes no chunk rows (a deleted one could not)
            if (!batches.markLoaded(batch, summary.columns(), summary.keyColumn(), summary.charset(),
                    String.valueOf(summary.delimiter()), summary.records(), sizes.size(), now)) {
                status.setRollbackOnly();
                return false;
            }
            chunks.replaceAll(batchId, sizes, now);
            jobs.addTotal(batch.jobId(), summary.records(), now);
            events.append(batch.accountId(), batch.jobId(), batchId, EventType.BATCH_LOADED,
                    summary.records() + " records in " + sizes.size() + " chunks (" + summary.charset()
                            + ", delimiter " + describe(summary.delimiter()) + ")"
                            + summary.notes().stream().map(note -> "; " + note).collect(Collectors.joining()), now);
            Batch current = batches.findById(batchId).orElseThrow();
            for (int i = 0; i < sizes.size(); i++) {
                RecordCounts counts = adopted.get(i);
                if (counts == null) {
                    tasks.schedule(scheduler, tasks.chunkInstance(batchId, i));
                } else if (!commitChunk(current, chunks.find(batchId, i).orElseThrow(), counts, now)) {
                    throw new IllegalStateException("chunk " + i + " of batch " + batchId + " was recorded twice");
                }
            }
            if (!adopted.isEmpty()) {
                scheduleAssemblyWhenDone(batchId, scheduler);
            }
            return true;
        }));
        if (loaded) {
            adopted.values().forEach(counts -> metrics.committed(job.operation(), counts));
            metrics.adoptedWhileLoading(adopted.size());
            log.info("batch loaded: batch={} records={} chunks={} processed while loading={}", batchId,
                    summary.records(), sizes.size(), adopted.size());
        } else {
            // cancelled or deleted while its last chunk was cut: the chunks serve nothing
            storage.deleteTree(BlobKeys.chunks(batch));
            forgetIfGone(batch);
        }
    }

    /** Processes one chunk unless it is done already, then schedules the assembly after the last one. */
    public void processChunk(String batchId, int index, SchedulerClient scheduler) throws IOException {
        Optional<Batch> found = batches.findById(batchId);
        if (found.isEmpty() || found.get().status() != BatchStatus.IN_PROGRESS) {
            return;
        }
        Batch batch = found.get();
        Optional<Chunk> chunk = chunks.find(batchId, index);
        if (chunk.isEmpty()) {
            return;
        }
        if (chunk.get().status() == ChunkStatus.PENDING) {
            Job job = jobs.findById(batch.jobId()).orElse(null);
            if (job == null) {
                forgetIfGone(batch); // deleted between the two reads
                return;
            }
            RecordCounts counts;
            try {
                counts = processPart(job, processor(job.operation()), batch, chunk.get());
            } catch (BatchRejectedException e) {
                // the batch cannot succeed (append: a match column missing from the file); retrying would not help
                reject(batchId, e);
                return;
            }
            if (recordChunk(batch, chunk.get(), counts, scheduler)) {
                metrics.committed(job.operation(), counts);
            } else {
                forgetIfGone(batch);
            }
        }
        return;
    }

    /** Writes the chunk's part from its input, with the job's options read once; answers its counters. */
    private <O extends OperationOptions> RecordCounts processPart(Job job, ChunkProcessor<O> processor, Batch batch,
            Chunk chunk) throws IOException {
        O options = processor.read(job.options());
        RecordCounts[] counts = new RecordCounts[1];
        // opened while the processor starts (its plan and rules first): on a bucket the round trips overlap
        try (InputStream in = new OpenedAhead(storage, BlobKeys.chunkInput(batch, chunk.index()));
             SideFiles sideFiles = new SideFiles(storage)) {
            storage.write(BlobKeys.part(batch, chunk.index()),
                    out -> counts[0] = processor.process(job, options, batch, chunk, in, out, sideFiles));
            sideFiles.await();
        }
        return counts[0];
    }

    /** Writes the result file from the parts and completes the batch. */
    public void assemble(String batchId) throws IOException {
        Optional<Batch> found = batches.findById(batchId);
        if (found.isEmpty() || found.get().status() != BatchStatus.IN_PROGRESS) {
            return;
        }
        Batch batch = found.get();
        if (batch.chunksDone() < batch.chunksTotal() || batch.records().deferred() > 0) {
            return;
        }
        Job job = jobs.findById(batch.jobId()).orElse(null);
        if (job == null) {
            forgetIfGone(batch); // deleted between the two reads
            return;
        }
        assembleWith(job, processor(job.operation()), batch);
    }

    /**
     * Assembles and completes the batch with the job's options read once, for the assembly and the completion. The
     * parts are read in turn, each opened while the one before is read ({@link ReadAheadBlobs}).
     */
    private <O extends OperationOptions> void assembleWith(Job job, ChunkProcessor<O> processor, Batch batch)
            throws IOException {
        List<String> keys = new ArrayList<>(batch.chunksTotal());
        for (int i = 0; i < batch.chunksTotal(); i++) {
            keys.add(BlobKeys.part(batch, i));
        }
        try (ReadAheadBlobs parts = new ReadAheadBlobs(storage, keys)) {
            assembleWith(job, processor, batch, parts.sources());
        }
    }

    private <O extends OperationOptions> void assembleWith(Job job, ChunkProcessor<O> processor, Batch batch,
            List<ChunkProcessor.PartSource> parts) throws IOException {
        String batchId = batch.id();
        O options = processor.read(job.options());
        String resultName = processor.resultName(job, options, batch);
        String resultKey = BlobKeys.result(batch, resultName);
        storage.write(resultKey, out -> processor.assemble(job, options, batch, parts, out));
        processor.assembled(job, options, batch, resultKey);
        String estimate = processor.estimate(job, options, batch, parts);
        boolean completed;
        RecordCounts[] added = {RecordCounts.ZERO};
        try {
            completed = Boolean.TRUE.equals(tx.execute(status -> {
                Batch current = batches.findById(batchId).orElse(null);
                if (current == null || current.status() != BatchStatus.IN_PROGRESS) {
                    return false;
                }
                added[0] = completeInTransaction(processor, job, options, current, parts);
                // read after the operation's own completion (an import's apply may take minutes), so that
                // completed_at and the event say when the batch completed, not when completing began
                Instant now = clock.instant();
                Instant expires = now.plus(Duration.ofHours(job.retentionHours()));
                if (!added[0].equals(RecordCounts.ZERO)) {
                    batches.addCounts(batchId, added[0], now);
                    jobs.addProcessed(batch.jobId(), added[0], now);
                    current = batches.findById(batchId).orElseThrow();
                }
                if (!batches.markCompleted(current, resultName, expires, estimate, now)) {
                    status.setRollbackOnly();
                    return false;
                }
                events.append(batch.accountId(), batch.jobId(), batchId, EventType.BATCH_COMPLETED,
                        summary(job.operation(), current.records()), now);
                finished(job, batchId);
                return true;
            }));
        } catch (BatchRejectedException e) {
            reject(batchId, e);
            return;
        }
        if (completed) {
            metrics.committed(job.operation(), added[0]);
            log.info("batch completed: batch={} records={}", batchId, batch.records().total());
            storage.deleteTree(BlobKeys.chunks(batch));
            storage.deleteTree(BlobKeys.parts(batch));
        } else {
            forgetIfGone(batch);
        }
    }

    /** An export-like operation: the whole result in one step, then the batch completes. */
    private <O extends OperationOptions> void produce(Job job, Batch batch, OutputProducer<O> producer)
            throws IOException {
        O options = producer.read(job.options());
        String resultName = producer.resultName(job, options, batch);
        String key = BlobKeys.result(batch, resultName);
        RecordCounts[] counts = new RecordCounts[1];
        try {
            storage.write(key, out -> counts[0] = producer.produce(job, options, batch, out));
        } catch (BatchRejectedException e) {
            reject(batch.id(), e);
            return;
        }
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofHours(job.retentionHours()));
        boolean completed = Boolean.TRUE.equals(tx.execute(status -> {
            if (!batches.markLoaded(batch, List.of(), 0, null, null, counts[0].processed(), 0, now)) {
                return false;
            }
            batches.addCounts(batch.id(), counts[0], now);
            jobs.addTotal(batch.jobId(), counts[0].processed(), now);
            jobs.addProcessed(batch.jobId(), counts[0], now);
            Batch current = batches.findById(batch.id()).orElseThrow();
            if (!batches.markCompleted(current, resultName, expires, now)) {
                status.setRollbackOnly();
                return false;
            }
            events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_COMPLETED,
                    summary(job.operation(), current.records()), now);
            finished(job, batch.id());
            return true;
        }));
        if (completed) {
            metrics.committed(job.operation(), counts[0]);
            log.info("batch produced: batch={} records={}", batch.id(), counts[0].processed());
            publish(producer, job, batches.findById(batch.id()).orElseThrow());
        } else {
            forgetIfGone(batch);
        }
    }

    /** Hands a completed result to its producer (export copies it to the drop); a failure retries the task. */
    private static void publish(OutputProducer<?> producer, Job job, Batch batch) {
        try {
            producer.published(job, batch, BlobKeys.result(batch));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("publishing the result of batch " + batch.id() + " failed", e);
        }
    }

    /**
     * Fetches a batch's source URI into storage; answers the updated batch, empty when it failed for good, or
     * null when no fetch slot is free. A retryable fetch failure is thrown, so the task retries.
     */
    private Optional<Batch> fetch(Batch batch) throws IOException {
        String key = BlobKeys.newInput(batch);
        dev.sluice.server.storage.BlobInfo info;
        try {
            Optional<InputStream> opened = fetcher.open(batch.accountId(), batch.sourceUri());
            if (opened.isEmpty()) {
                return null;
            }
            try (InputStream in = opened.get()) {
                info = storage.put(key, in, fetcher.maxBytes());
            }
        } catch (BatchRejectedException e) {
            reject(batch.id(), e);
            return Optional.empty();
        } catch (dev.sluice.server.storage.BlobTooLargeException e) {
            reject(batch.id(), new BatchRejectedException("file_too_large", e.getMessage()));
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // storage may wrap what the source's stream threw
            FetchFailedException failed = FetchFailedException.in(e);
            if (failed != null && !failed.isRetryable()) {
                reject(batch.id(), new BatchRejectedException(FETCH_FAILED, failed.getMessage()));
                return Optional.empty();
            }
            if (failed != null) {
                throw failed;
            }
            throw e;
        }
        Instant now = clock.instant();
        if (!batches.setInput(batch.id(), key, info.size(), info.sha256(), now)) {
            // cancelled or deleted during the fetch
            storage.delete(key);
            forgetIfGone(batch);
            return Optional.empty();
        }
        events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_QUEUED,
                "fetched " + info.size() + " bytes from the source URI", now);
        return batches.findById(batch.id());
    }

    private static <O extends OperationOptions> RecordCounts completeInTransaction(ChunkProcessor<O> processor,
            Job job, O options, Batch batch, List<ChunkProcessor.PartSource> parts) {
        try {
            return processor.complete(job, options, batch, parts);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Thrown where a task finds its batch moved out of the status it works in (cancelled, deleted). */
    private static final class BatchStoppedException extends RuntimeException {
        BatchStoppedException(String message) {
            super(message, null, false, false);
        }
    }

    private void requireStatus(String batchId, BatchStatus expected) {
        Batch current = batches.findById(batchId).orElse(null);
        if (current == null) {
            throw new BatchStoppedException("the batch was deleted");
        }
        if (current.status() != expected) {
            throw new BatchStoppedException("the batch is " + current.status().wire());
        }
    }

    /**
     * After a task lost its compare-and-set: if the batch is gone (its job was deleted, and the purge may
     * have run before this task wrote its last file), removes everything stored under the batch, so no
     * file outlives its rows.
     */
    private void forgetIfGone(Batch batch) throws IOException {
        if (batches.findById(batch.id()).isEmpty()) {
            storage.deleteTree(BlobKeys.batch(batch));
        }
    }

    /** Fails the batch for a reason of its own, without retries. */
    private void reject(String batchId, BatchRejectedException e) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Batch batch = batches.findById(batchId).orElse(null);
            if (batch == null || !batch.status().canMoveTo(BatchStatus.FAILED)) {
                return;
            }
            Instant now = clock.instant();
            boolean moved = Boolean.TRUE.equals(tx.execute(status -> {
                if (!batches.markProblem(batch, BatchStatus.FAILED, e.code(), e.getMessage(), now)) {
                    return false;
                }
                operations.settleUnfinished(batches, jobs, batch, now);
                events.append(batch.accountId(), batch.jobId(), batchId, EventType.BATCH_FAILED,
                        e.code() + ": " + e.getMessage(), now);
                finished(null, batchId);
                return true;
            }));
            if (moved) {
                log.info("batch rejected: batch={} code={}", batchId, e.code());
                return;
            }
        }
    }

    /**
     * Fails a batch that never got its file ({@code upload_expired}), telling the listeners as for any final
     * status. Answers false when the batch moved meanwhile (its upload came, or it was cancelled).
     */
    public boolean failAbandonedUpload(Batch batch, String message) {
        Instant now = clock.instant();
        boolean moved = Boolean.TRUE.equals(tx.execute(status -> {
            if (!batches.markProblem(batch, BatchStatus.FAILED, UPLOAD_EXPIRED, message, now)) {
                return false;
            }
            events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_FAILED,
                    UPLOAD_EXPIRED + ": " + message, now);
            finished(null, batch.id());
            return true;
        }));
        if (moved) {
            log.info("batch failed: batch={} code={}", batch.id(), UPLOAD_EXPIRED);
        }
        return moved;
    }

    /** Tells the listeners, inside the caller's transaction, that the batch reached a final status. */
    private void finished(Job knownJob, String batchId) {
        if (listeners.isEmpty()) {
            return;
        }
        Batch batch = batches.findById(batchId).orElseThrow();
        Job job = knownJob != null ? jobs.findById(batch.jobId()).orElse(knownJob) : jobs.findById(batch.jobId()).orElseThrow();
        for (BatchListener listener : listeners) {
            listener.batchFinished(job, batch);
        }
    }

    private static String summary(Operation operation, RecordCounts r) {
        if (operation == Operation.VERIFY) {
            return r.processed() + " records: " + r.valid() + " valid, " + r.invalid() + " invalid, "
                    + r.acceptAll() + " accept_all, " + r.unknown() + " unknown"
                    + (r.duplicates() > 0 ? " (" + r.duplicates() + " duplicates)" : "");
        }
        if (operation == Operation.ESTIMATE) {
            return r.processed() + " records estimated: " + r.duplicates() + " duplicates, " + r.invalid()
                    + " distinct addresses already invalid";
        }
        return r.processed() + " records: " + r.completed() + " completed, " + r.failed() + " failed, "
                + r.ignored() + " ignored";
    }

    /** Marks the batch failed after its task ran out of attempts. */
    public void fail(String batchId, Throwable cause) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Batch batch = batches.findById(batchId).orElse(null);
            if (batch == null || batch.status().isFinal() || !batch.status().canMoveTo(BatchStatus.FAILED)) {
                return;
            }
            FetchFailedException fetch = FetchFailedException.in(cause);
            String code = fetch != null ? FETCH_FAILED : "processing_error";
            String message = fetch != null
                    ? fetch.getMessage() + " (gave up after " + properties.maxAttempts() + " attempts)"
                    : "processing stopped after " + properties.maxAttempts() + " attempts: " + cause;
            Instant now = clock.instant();
            boolean moved = Boolean.TRUE.equals(tx.execute(status -> {
                if (!batches.markProblem(batch, BatchStatus.FAILED, code, message, now)) {
                    return false;
                }
                operations.settleUnfinished(batches, jobs, batch, now);
                events.append(batch.accountId(), batch.jobId(), batchId, EventType.BATCH_FAILED,
                        fetch != null ? code + ": " + message : message, now);
                finished(null, batchId);
                return true;
            }));
            if (moved) {
                log.warn("batch failed: batch={} cause={}", batchId, cause.toString());
                return;
            }
        }
    }

    /**
     * In one transaction: the chunk moves to done, its counters are added, and after the last chunk the
     * assembly is scheduled. The task table shares the transaction, so no step is lost between them.
     * Answers whether this call committed the chunk (false: it was done already, or the batch moved on).
     */
    private boolean recordChunk(Batch batch, Chunk chunk, RecordCounts counts, SchedulerClient scheduler) {
        Instant now = clock.instant();
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!commitChunk(batch, chunk, counts, now)) {
                status.setRollbackOnly();
                return false;
            }
            scheduleAssemblyWhenDone(batch.id(), scheduler);
            return true;
        }));
    }

    /**
     * Inside the caller's transaction: the chunk moves to done and its counters are added to its batch and job.
     * Answers false when it was done already or the batch is not in progress (the caller rolls back).
     */
    private boolean commitChunk(Batch batch, Chunk chunk, RecordCounts counts, Instant now) {
        if (!chunks.markDone(chunk, now)) {
            return false;
        }
        if (!batches.addChunk(batch.id(), counts, now)) {
            return false;
        }
        jobs.addProcessed(batch.jobId(), counts, now);
        events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.RECORDS_PROCESSED,
                "chunk " + (chunk.index() + 1) + " of " + batch.chunksTotal() + ": records " + chunk.firstRow()
                        + " to " + (chunk.firstRow() + chunk.records() - 1) + " processed", now);
        return true;
    }

    /** Inside the caller's transaction: schedules the assembly once every chunk is done and none waits. */
    private void scheduleAssemblyWhenDone(String batchId, SchedulerClient scheduler) {
        Batch after = batches.findById(batchId).orElseThrow();
        // records put aside for a later attempt hold the assembly back: their settling schedules it
        if (after.chunksDone() >= after.chunksTotal() && after.records().deferred() == 0) {
            tasks.schedule(scheduler, tasks.assembleInstance(batchId));
        }
    }

    private void markMalformed(Batch batch, MalformedFileException e) {
        Instant now = clock.instant();
        // The loader's message may quote the file (its header row); a fetched file may be a page the account
        // should not read (an allowed internal URL), so its batch error says what is wrong without quoting it.
        String message = batch.source() == BatchSource.FETCH ? withoutContent(e.reason()) : e.getMessage();
        tx.executeWithoutResult(status -> {
            if (batches.markProblem(batch, BatchStatus.MALFORMED, e.reason().code(), message, now)) {
                events.append(batch.accountId(), batch.jobId(), batch.id(), EventType.BATCH_MALFORMED,
                        e.reason().code() + ": " + message, now);
                finished(null, batch.id());
            }
        });
        log.info("batch malformed: batch={} reason={}", batch.id(), e.reason().code());
    }

    /** What is wrong with a fetched file, in words that quote none of it. */
    static String withoutContent(dev.sluice.core.ingest.MalformedReason reason) {
        return switch (reason) {
            case EMPTY_FILE -> "the fetched file is empty";
            case BINARY_CONTENT -> "the fetched file is not text (it looks binary)";
            case NO_RECORDS -> "the fetched file has a header but no records after it";
            case MISSING_COLUMN -> "the fetched file has no column holding the required values; check its header row";
            case TOO_MANY_RECORDS -> "the fetched file holds more records than allowed";
            case UNREADABLE -> "the fetched file cannot be read as CSV text in one encoding";
        } + " (the file's content is not quoted here because it was fetched from the source URI)";
    }

    private ChunkProcessor<?> processor(Operation operation) {
        return operations.processor(operation)
                .orElseThrow(() -> new IllegalStateException("no processor for operation " + operation.wire()));
    }

    static List<Long> chunkSizes(long records, int chunkSize) {
        List<Long> sizes = new ArrayList<>();
        for (long left = records; left > 0; left -= chunkSize) {
            sizes.add(Math.min(left, chunkSize));
        }
        return sizes;
    }

    private static String describe(char delimiter) {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }

}
