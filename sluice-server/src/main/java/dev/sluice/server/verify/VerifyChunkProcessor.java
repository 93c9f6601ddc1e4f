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
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.job.ResultOptions;
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
class VerifyChunkProcessor implements ChunkProcessor {

    private final VerificationEngine engine;
    private final VerifyProperties.CacheScope cacheScope;

    VerifyChunkProcessor(VerificationEngine engine, VerifyProperties properties) {
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
    }

    @Override
    public Operation operation() {
        return Operation.VERIFY;
    }

    /**
     * A verify job takes {@code escape_formulas} and {@code source: {uri}} (the file fetched as the job's first
     * batch); any other key is refused, so a misspelt option never silently takes its default.
     */
    @Override
    public void validate(String accountId, Map<String, Object> options) {
        if (options == null) {
            return;
        }
        for (Map.Entry<String, Object> option : options.entrySet()) {
            switch (option.getKey()) {
                case ResultOptions.ESCAPE_FORMULAS -> ResultOptions.escapeFormulas(options);
                case "source" -> {
                    if (!(option.getValue() instanceof Map<?, ?> source) || !source.keySet().equals(java.util.Set.of("uri"))
                            || !(source.get("uri") instanceof String)) {
                        throw new IllegalArgumentException("options.source of a verify job must be {\"uri\": \"...\"}");
                    }
                }
                default -> {
                    String key = option.getKey().length() > 40 ? option.getKey().substring(0, 40) + "..." : option.getKey();
                    throw new IllegalArgumentException("unknown verify option '" + key + "': a verify job takes "
                            + ResultOptions.ESCAPE_FORMULAS + " and source.uri");
                }
            }
        }
    }

    @Override
    public RecordCounts process(Job job, Batch batch, Chunk chunk, InputStream records, OutputStream part)
            throws IOException {
        // with the account scope, cached verdicts of other accounts are neither reused nor marked cached
        String scope = cacheScope == VerifyProperties.CacheScope.ACCOUNT ? job.accountId() : VerificationCache.SHARED;
        ChunkVerifier verifier = cells -> engine.verifyAll(cells, scope);
        VerifyPass pass = new VerifyPass(verifier, batch.resultFormat(), batch.columns(), batch.keyColumn(),
                ResultOptions.escapeFormulas(job.options()));
        VerifyCounts counts = pass.run(records, chunk.firstRow(), part);
        return RecordCounts.processed(counts);
    }

    @Override
    public void assemble(Job job, Batch batch, List<PartSource> parts, OutputStream result) throws IOException {
        List<ResultAssembler.IOSupplier<InputStream>> sources = new ArrayList<>(parts.size());
        for (PartSource part : parts) {
            sources.add(part::open);
        }
        ResultAssembler.assemble(batch.resultFormat(), batch.columns(), sources, result,
                ResultOptions.escapeFormulas(job.options()));
    }
}
