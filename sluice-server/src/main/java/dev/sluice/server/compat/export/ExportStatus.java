package dev.sluice.server.compat.export;

import dev.sluice.server.job.BatchStatus;

/**
 * The status words of an export request, read from its native batch. {@code Complete} promises what the
 * seed promises, that the file can be fetched over SFTP: a batch that completed but whose drop copy is not
 * written yet (the copy follows completion, and is retried if it fails) is still {@code InProcess}.
 */
enum ExportStatus {
    /** Accepted and waiting for a worker (native {@code queued}). */
    QUEUED("Queued"),
    /** A worker is writing the file or placing it in the SFTP drop (native {@code loading}, {@code in_progress}). */
    IN_PROCESS("InProcess"),
    /** The zipped XML file is in the account's SFTP drop (native {@code completed}, drop copy written). */
    COMPLETE("Complete"),
    /** The export stopped: failed (the dataset went away, storage failed...) or cancelled; the message says why. */
    ERROR("Error");

    private final String wire;

    ExportStatus(String wire) {
        this.wire = wire;
    }

    /** The word on the wire, e.g. {@code InProcess}. */
    String wire() {
        return wire;
    }

    /**
     * The status of a request whose batch is in {@code batch}; {@code placed} says whether the drop copy
     * exists (asked only of a completed batch, whose copy may be on its way).
     */
    static ExportStatus of(BatchStatus batch, boolean placed) {
        return switch (batch) {
            // an export's batch is queued when its job is created; it never waits for an upload
            case WAITING_FOR_UPLOAD, QUEUED -> QUEUED;
            case LOADING, IN_PROGRESS -> IN_PROCESS;
            case COMPLETED -> placed ? COMPLETE : IN_PROCESS;
            case FAILED, MALFORMED, CANCELLED -> ERROR;
        };
    }
}
