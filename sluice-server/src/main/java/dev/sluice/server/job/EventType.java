package dev.sluice.server.job;

import java.util.Locale;

/** What an entry in a job's log records. */
public enum EventType {
    /** The job was created. */
    JOB_CREATED,
    /** The job was cancelled, and its unfinished batches with it. */
    JOB_CANCELLED,
    /** A batch was created and waits for its file. */
    BATCH_CREATED,
    /** A batch's input is stored and queued. */
    BATCH_QUEUED,
    /** A batch's file was read: records counted and cut into chunks. */
    BATCH_LOADED,
    /** A chunk of records was processed. */
    RECORDS_PROCESSED,
    /** A batch finished and its result is ready. */
    BATCH_COMPLETED,
    /** A batch's file could not be read as records. */
    BATCH_MALFORMED,
    /** A batch stopped on an error. */
    BATCH_FAILED,
    /** A batch was cancelled. */
    BATCH_CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
