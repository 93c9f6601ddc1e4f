package dev.sluice.server.job;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * An operation that takes no input records and produces one file (export). Its job gets one batch at
 * creation, queued at once; the worker calls {@link #produce} instead of loading and chunking. Producing
 * must be repeatable: after a crash it runs again from the start and replaces the file.
 */
public interface OutputProducer {

    Operation operation();

    /**
     * Checks a new job's options; throws {@link IllegalArgumentException} saying what is wrong. By default
     * the operation takes no options (see {@link ChunkProcessor#validate}).
     */
    default void validate(String accountId, Map<String, Object> options) {
        Operations.refuseAny(operation(), options);
    }

    /** The file name of the batch's result. */
    String resultName(Job job, Batch batch);

    /** Writes the whole result; answers its counters (records written as {@code completed}). */
    RecordCounts produce(Job job, Batch batch, OutputStream result) throws IOException;

    /** Called after the batch completed, with the stored result's key (export copies it to the SFTP drop). */
    default void published(Job job, Batch batch, String resultKey) throws IOException {
    }
}
