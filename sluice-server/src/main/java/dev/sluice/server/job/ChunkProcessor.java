package dev.sluice.server.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The work of one operation on one chunk: reads the chunk's records, writes its result part, answers
 * the counters. It must be repeatable: a chunk whose worker died is processed again from scratch.
 */
public interface ChunkProcessor {

    Operation operation();

    RecordCounts process(Job job, Batch batch, Chunk chunk, InputStream records, OutputStream part) throws IOException;

    /** Writes the batch's result file from its parts, in order. */
    void assemble(Job job, Batch batch, List<PartSource> parts, OutputStream result) throws IOException;

    /** Opens one stored part. */
    @FunctionalInterface
    interface PartSource {
        InputStream open() throws IOException;
    }
}
