package dev.sluice.server.job;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An operation that takes no input records and produces one file (export). Its job gets one batch at
 * creation, queued at once; the worker calls {@link #produce} instead of loading and chunking. Producing
 * must be repeatable: after a crash it runs again from the start and replaces the file.
 *
 * @param <O> the operation's typed options
 */
public non-sealed interface OutputProducer<O extends OperationOptions> extends OperationPlugin<O> {

    /** The file name of the batch's result. */
    String resultName(Job job, O options, Batch batch);

    /** Writes the whole result; answers its counters. */
    RecordCounts produce(Job job, O options, Batch batch, OutputStream result) throws IOException;

    /**
     * Deletes what the producer placed besides the result (export: its copy in the SFTP drop) when the batch's
     * retention ends; called only for a batch that has a result. Repeatable: deleting what is gone does nothing.
     */
    default void expired(Batch batch) throws IOException {
    }

    /** Called after the batch completed, with the stored result's key (export copies it to the SFTP drop). */
    default void published(Job job, Batch batch, String resultKey) throws IOException {
    }
}
