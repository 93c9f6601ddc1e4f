package dev.sluice.server.job;

import java.util.List;
import java.util.Map;

/**
 * One operation as the job engine runs it. Sealed: an operation either processes input records in chunks
 * ({@link ChunkProcessor}: verify, import, append) or produces one file from nothing ({@link OutputProducer}:
 * export). Its options are a record {@code O}, parsed and checked once when a job is created; the worker reads
 * them back from the stored JSON once per task and hands them to each step.
 *
 * @param <O> the operation's typed options
 */
public sealed interface OperationPlugin<O extends OperationOptions> permits ChunkProcessor, OutputProducer {

    Operation operation();

    /**
     * Parses and checks a new job's options before the job exists, including what they name in the account
     * (a dataset, a job); throws {@link IllegalArgumentException} saying what is wrong (the API answers 400
     * with it). Keys the operation does not know are refused, so nothing unchecked is ever stored with a job.
     */
    O parse(String accountId, Map<String, Object> options);

    /**
     * Reads the options stored with a job that {@link #parse} accepted: their shape only, no lookups (what
     * they name may have changed since; the steps say so with the batch's error).
     */
    O read(Map<String, Object> options);

    /**
     * The counters this operation moves, each in its own slot. A slot not declared stays 0 for its jobs.
     */
    List<Counter> counters();
}
