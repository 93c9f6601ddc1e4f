package dev.sluice.server.verify;

import dev.sluice.core.result.ResultAssembler;
import dev.sluice.core.result.VerifyCounts;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.ChunkVerifier;
import dev.sluice.core.verify.VerificationCache;
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
 * record's columns with the verdict columns added.
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

    VerifyChunkProcessor(VerificationEngine engine, VerifyProperties properties, ResultFiles files) {
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
        this.files = files;
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
        String scope = cacheScope == VerifyProperties.CacheScope.ACCOUNT ? job.accountId() : VerificationCache.SHARED;
        ChunkVerifier verifier = cells -> engine.verifyAll(cells, scope);
        VerifyPass pass = new VerifyPass(verifier, batch.resultFormat(), batch.columns(), batch.keyColumn(),
                options.escapeFormulas());
        VerifyCounts counts = pass.run(records, chunk.firstRow(), part);
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

    /** Counts the finished result once, for the job's report. */
    @Override
    public void assembled(Job job, VerifyOptions options, Batch batch, String resultKey) throws IOException {
        files.count(batch, resultKey);
    }
}
