package dev.sluice.server.verify;

import dev.sluice.core.result.ChunkDuplicates;
import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.core.result.ResultAssembler;
import dev.sluice.core.result.VerifyCounts;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.AccountRules;
import dev.sluice.core.verify.ChunkVerifier;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BlobKeys;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.sluice.server.storage.BlobStorage;
import org.springframework.stereotype.Component;

/**
 * The verify operation on one chunk: every record's email gets a verdict, and the result part keeps the
 * record's columns with the verdict columns added.
 */
@Component
class VerifyChunkProcessor implements ChunkProcessor<VerifyOptions> {

    /** One counter per verdict. */
    static final List<Counter> COUNTERS = List.of(
            new Counter("valid", Counter.Slot.VALID, "records whose verdict is valid"),
            new Counter("invalid", Counter.Slot.INVALID, "records whose verdict is invalid"),
            new Counter("accept_all", Counter.Slot.ACCEPT_ALL, "records whose domain accepts any address"),
            new Counter("unknown", Counter.Slot.UNKNOWN, "records whose verdict could not be decided"),
            new Counter("duplicates", Counter.Slot.DUPLICATES,
                    "records repeating an earlier record's address in the batch, given its verdict unverified"));

    private final VerificationEngine engine;
    private final VerifyProperties.CacheScope cacheScope;
    private final AccountRuleStore rules;
    private final BlobStorage storage;

    VerifyChunkProcessor(VerificationEngine engine, VerifyProperties properties, AccountRuleStore rules,
            BlobStorage storage) {
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
        this.rules = rules;
        this.storage = storage;
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

    /** Each address of a batch is verified once; its copies take its verdict. */
    @Override
    public boolean foldsDuplicates(VerifyOptions options) {
        return true;
    }

    @Override
    public Set<Integer> waitsFor(VerifyOptions options, Batch batch, Chunk chunk) throws IOException {
        return DuplicatePlans.of(storage, batch, chunk).waitsFor();
    }

    /**
     * Verifies the chunk's distinct addresses; a copy of an earlier chunk's address takes the verdict that chunk
     * kept ({@link BlobKeys#firstCopies}, read once it is done: see {@link #waitsFor}), and this chunk keeps the
     * verdicts later chunks will copy. Both files are rewritten whole by a re-run, before the chunk is done.
     */
    @Override
    public RecordCounts process(Job job, VerifyOptions options, Batch batch, Chunk chunk, InputStream records,
            OutputStream part)
            throws IOException {
        DuplicatePlan plan = DuplicatePlans.of(storage, batch, chunk);
        Map<Long, ChunkDuplicates.FirstCopy> earlier = new HashMap<>();
        for (int index : plan.waitsFor()) {
            try (InputStream in = storage.open(BlobKeys.firstCopies(batch, index))) {
                ChunkDuplicates.readFirstCopies(in, earlier);
            }
        }
        earlier.keySet().retainAll(plan.firstCopiesBefore(chunk.firstRow()));
        ChunkDuplicates duplicates = new ChunkDuplicates(plan.copies(), earlier, plan.kept());
        Map<Long, ChunkDuplicates.FirstCopy> kept = new LinkedHashMap<>();
        // with the account scope, cached verdicts of other accounts are neither reused nor marked cached
        String scope = cacheScope == VerifyProperties.CacheScope.ACCOUNT ? job.accountId() : VerificationCache.SHARED;
        // the account's rules as they are when the chunk runs (a re-run after a change reads the new ones)
        AccountRules accountRules = rules.rules(job.accountId());
        ChunkVerifier verifier = cells -> engine.verifyAll(cells, scope, accountRules);
        VerifyPass pass = new VerifyPass(verifier, batch.resultFormat(), batch.columns(), batch.keyColumn(),
                options.escapeFormulas());
        VerifyCounts counts = pass.run(records, chunk.firstRow(), part, duplicates, kept::put);
        if (!plan.kept().isEmpty()) {
            storage.write(BlobKeys.firstCopies(batch, chunk.index()),
                    out -> ChunkDuplicates.writeFirstCopies(kept, out));
        }
        return RecordCounts.processed(counts);
    }

    @Override
    public void assemble(Job job, VerifyOptions options, Batch batch, List<PartSource> parts, OutputStream result)
            throws IOException {
        List<ResultAssembler.IOSupplier<InputStream>> sources = new ArrayList<>(parts.size());
        for (PartSource part : parts) {
            sources.add(part::open);
        }
        ResultAssembler.assemble(batch.resultFormat(), batch.columns(), sources, result, options.escapeFormulas());
    }
}
