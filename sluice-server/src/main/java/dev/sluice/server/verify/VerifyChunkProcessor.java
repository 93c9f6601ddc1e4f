package dev.sluice.server.verify;

import dev.sluice.core.result.ResultAssembler;
import dev.sluice.core.result.VerifyCounts;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.ChunkVerifier;
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

    private final ChunkVerifier verifier;

    VerifyChunkProcessor(ChunkVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Operation operation() {
        return Operation.VERIFY;
    }

    @Override
    public void validate(String accountId, Map<String, Object> options) {
        ResultOptions.escapeFormulas(options);
    }

    @Override
    public RecordCounts process(Job job, Batch batch, Chunk chunk, InputStream records, OutputStream part)
            throws IOException {
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
