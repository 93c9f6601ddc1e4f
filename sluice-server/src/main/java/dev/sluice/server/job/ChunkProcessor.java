package dev.sluice.server.job;

import dev.sluice.core.ingest.LoadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * The work of one operation on the records of a batch: how its file is read, what each chunk turns
 * into, how the parts become the result, and what must happen exactly once when the batch completes.
 * Chunk work must be repeatable: a chunk whose worker died is processed again from scratch. Every step
 * gets the job's options as the operation's record {@code O}, read once by the task that runs it.
 *
 * @param <O> the operation's typed options
 */
public non-sealed interface ChunkProcessor<O extends OperationOptions> extends OperationPlugin<O> {

    /** How this operation reads input files: by default, verify's (an {@code email} column is required). */
    default LoadOptions loadOptions(O options, Batch batch, int chunkSize) {
        return new LoadOptions(BatchWorker.EMAIL_COLUMN, chunkSize, batch.recordLimit());
    }

    /**
     * Whether the batch's repeated addresses are processed once: the loader then records each chunk's duplicates
     * ({@link BlobKeys#duplicates}) after cutting the chunks, for the processor to read.
     */
    default boolean foldsDuplicates(O options) {
        return false;
    }

    /**
     * Processes one chunk: reads its {@code records}, writes its {@code part}, answers its counters. Blobs the
     * chunk keeps beside its part go through {@code sideFiles}, stored while the part is, and all stored before the
     * chunk is done.
     */
    RecordCounts process(Job job, O options, Batch batch, Chunk chunk, InputStream records, OutputStream part,
            SideFiles sideFiles) throws IOException;

    /**
     * Whether {@link #processWhileLoading} may take chunks of a batch with these options. False by default: every
     * chunk is processed once the batch is loaded.
     */
    default boolean processesWhileLoading(O options) {
        return false;
    }

    /**
     * Processes a chunk on the loading node while the load reads on, so that chunk work overlaps the load. What
     * {@link #process} does, with two differences: {@code batch} has the columns as far as the load read them,
     * and {@code copies} holds the chunk's copies of earlier rows (which rows later chunks repeat is not known
     * yet). It must leave nothing in the database: the load adopts the part when it ends, if the final columns are
     * the same, and otherwise the chunk is processed as usual, which writes the part again. Answers empty, for the
     * chunk to be processed as usual, when it would have had to leave something (an address put aside).
     */
    default java.util.Optional<RecordCounts> processWhileLoading(Job job, O options, Batch batch, Chunk chunk,
            dev.sluice.core.result.DuplicatePlan copies, InputStream records, OutputStream part, SideFiles sideFiles)
            throws IOException {
        return java.util.Optional.empty();
    }

    /** The file name of the batch's result. */
    default String resultName(Job job, O options, Batch batch) {
        return "result." + job.outputFormat().extension();
    }

    /** Writes the batch's result file from its parts, in order. */
    void assemble(Job job, O options, Batch batch, List<PartSource> parts, OutputStream result) throws IOException;

    /**
     * Called after {@link #assemble} stored the result under {@code resultKey}, before the batch completes,
     * outside any transaction: work derived from the finished file (verify counts it for the job's report).
     * Must be repeatable, as the assembly is.
     */
    default void assembled(Job job, O options, Batch batch, String resultKey) throws IOException {
    }

    /**
     * Runs inside the transaction that completes the batch, after {@link #assemble}: changes that must
     * happen exactly once together with the completion (import applies its records to the dataset here).
     * Answers counters to add to the batch and job. Throw {@link BatchRejectedException} to fail the batch
     * with a reason instead; nothing done in the transaction stays.
     */
    default RecordCounts complete(Job job, O options, Batch batch, List<PartSource> parts) throws IOException {
        return RecordCounts.ZERO;
    }

    /**
     * The batch's estimate (a JSON object), stored with it in the transaction that completes it and shown as the
     * batch's {@code estimate}; null (the default) for operations that give none. Only the estimate operation does.
     */
    default String estimate(Job job, O options, Batch batch, List<PartSource> parts) throws IOException {
        return null;
    }

    /**
     * Counters to add when the batch ends without completing (rejected, failed, cancelled), in the
     * transaction of that move, so that its counters still add up ({@code processed = completed + failed +
     * ignored} for the dataset operations): import counts the records it staged but never applied as
     * ignored; verify drops the addresses it put aside for a later attempt and takes them off {@code
     * deferred}. {@code batch} is the batch as it was just before the move, counters current.
     */
    default RecordCounts unfinished(Batch batch) {
        return RecordCounts.ZERO;
    }

    /**
     * Deletes what this operation keeps of the batch in the store besides its files (import: the
     * per-record outcomes), when the batch's retention ends or its job is deleted. Repeatable: deleting
     * what is gone does nothing.
     */
    default void forget(Batch batch) {
    }

    /** Opens one stored part. */
    @FunctionalInterface
    interface PartSource {
        InputStream open() throws IOException;
    }
}
