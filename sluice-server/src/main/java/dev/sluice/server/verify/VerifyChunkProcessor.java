package dev.sluice.server.verify;

import dev.sluice.core.result.PartPatches;
import dev.sluice.core.result.ResultAssembler;
import dev.sluice.core.result.VerifyCounts;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.ChunkVerifier;
import dev.sluice.core.verify.Transcripts;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.job.ChunkProcessor;
import dev.sluice.server.job.Counter;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.RecordCounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The verify operation on one chunk: every record's email gets a verdict, and the result part keeps the
 * record's columns with the verdict columns added. With the {@code transcripts} option the SMTP conversations
 * behind the verdicts are kept in the {@link TranscriptStore} until the batch's retention ends.
 */
@Component
class VerifyChunkProcessor implements ChunkProcessor<VerifyOptions> {

    /** One counter per verdict. */
    static final List<Counter> COUNTERS = List.of(
            new Counter("valid", Counter.Slot.VALID, "records whose verdict is valid"),
            new Counter("invalid", Counter.Slot.INVALID, "records whose verdict is invalid"),
            new Counter("accept_all", Counter.Slot.ACCEPT_ALL, "records whose domain accepts any address"),
            new Counter("unknown", Counter.Slot.UNKNOWN, "records whose verdict could not be decided"));

    private final VerificationEngine engine;
    private final VerifyProperties.CacheScope cacheScope;
    private final ResultFiles files;
    private final TranscriptStore transcripts;
    private final VerifyRetries retries;

    VerifyChunkProcessor(VerificationEngine engine, VerifyProperties properties, ResultFiles files,
            TranscriptStore transcripts, VerifyRetries retries) {
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
        this.files = files;
        this.transcripts = transcripts;
        this.retries = retries;
    }

    @Override
    public Operation operation() {
        return Operation.VERIFY;
    }

    @Override
    public VerifyOptions parse(String accountId, Map<String, Object> options) {
        return VerifyOptions.parse(options);
    }

    @Override
    public VerifyOptions read(Map<String, Object> options) {
        return VerifyOptions.parse(options);
    }

    @Override
    public List<Counter> counters() {
        return COUNTERS;
    }

    @Override
    public RecordCounts process(Job job, VerifyOptions options, Batch batch, Chunk chunk, InputStream records,
            OutputStream part)
            throws IOException {
        // with the account scope, cached verdicts of other accounts are neither reused nor marked cached
        String scope = cacheScope.of(job.accountId());
        if (!options.transcripts()) {
            return putAside(batch, chunk, pass(cells -> engine.verifyAll(cells, scope), options, batch), records, part);
        }
        // the pass asks the verifier once for the whole chunk; what it was asked and answered is kept with the
        // conversations, and written after the part, so a chunk that fails writes no transcript
        Transcripts kept = new Transcripts();
        List<String> cellsAsked = new ArrayList<>();
        List<Verdict> verdictsGiven = new ArrayList<>();
        ChunkVerifier verifier = cells -> {
            List<Verdict> verdicts = engine.verifyAll(cells, scope, kept);
            cellsAsked.addAll(cells);
            verdictsGiven.addAll(verdicts);
            return verdicts;
        };
        RecordCounts counts = putAside(batch, chunk, pass(verifier, options, batch), records, part);
        transcripts.replaceChunk(job.id(), batch.id(), chunk.index(), cellsAsked, verdictsGiven, kept);
        return counts;
    }

    /**
     * Runs the pass; a "try again later" answer is written provisionally and put aside: deferred, not processed
     * yet.
     */
    private RecordCounts putAside(Batch batch, Chunk chunk, VerifyPass pass, InputStream records, OutputStream part)
            throws IOException {
        List<VerifyPass.MarkedRow> aside = new ArrayList<>();
        VerifyCounts counts = pass.run(records, chunk.firstRow(), part, retries::defers, aside::add);
        part.flush();
        retries.putAside(batch, chunk, aside);
        int deferred = aside.size();
        return new RecordCounts(0, counts.records() - deferred, counts.valid(), counts.invalid(), counts.acceptAll(),
                counts.unknown() - deferred, 0, 0, 0, deferred);
    }

    private static VerifyPass pass(ChunkVerifier verifier, VerifyOptions options, Batch batch) {
        return new VerifyPass(verifier, batch.resultFormat(), batch.columns(), batch.keyColumn(),
                options.escapeFormulas());
    }

    /** The batch's transcripts and the addresses it put aside go with its retention or its job. */
    @Override
    public void forget(Batch batch) {
        transcripts.deleteBatch(batch.id());
        retries.forget(batch.id());
    }

    @Override
    public void assemble(Job job, VerifyOptions options, Batch batch, List<PartSource> parts, OutputStream result)
            throws IOException {
        // parts with addresses settled after a later attempt get those rows replaced; the others are copied
        Map<Integer, List<PartPatches.Patch>> patches = retries.patches(batch.id());
        List<ResultAssembler.IOSupplier<InputStream>> sources = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            PartSource part = parts.get(i);
            List<PartPatches.Patch> own = patches.get(i);
            sources.add(own == null ? part::open : () -> PartPatches.apply(part.open(), own));
        }
        ResultAssembler.assemble(batch.resultFormat(), batch.columns(), sources, result, options.escapeFormulas());
    }

    /** Counts the finished result once, for the job's report. */
    @Override
    public void assembled(Job job, VerifyOptions options, Batch batch, String resultKey) throws IOException {
        files.count(batch, resultKey);
    }

    /** The settled rows are in the result now: the store keeps nothing of them. */
    @Override
    public RecordCounts complete(Job job, VerifyOptions options, Batch batch, List<PartSource> parts) {
        retries.forget(batch.id());
        return RecordCounts.ZERO;
    }

    /** Addresses still put aside wait for nothing any more: they leave the store and the deferred counter. */
    @Override
    public RecordCounts unfinished(Batch batch) {
        retries.forget(batch.id());
        return RecordCounts.ZERO.plusDeferred(-batch.records().deferred());
    }
}
