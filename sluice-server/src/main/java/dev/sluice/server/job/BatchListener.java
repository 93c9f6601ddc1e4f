package dev.sluice.server.job;

/**
 * Told when a batch reaches a final status, inside the transaction that moves it there, so what a
 * listener writes (an outbox row for a notification) commits exactly when the status does.
 */
public interface BatchListener {

    /** The batch moved to {@code completed}, {@code failed}, {@code malformed} or {@code cancelled}. */
    void batchFinished(Job job, Batch batch);
}
