package dev.sluice.server.compat.refdata;

import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.EventType;
import java.util.Locale;
import java.util.Optional;

/** The seed's state words for a ticket and its events, read from the native batch and its log. */
enum TicketState {
    /** The import is stored and waits for a worker (native {@code waiting_for_upload}, {@code queued}). */
    ACCEPTED,
    /** The file is being downloaded, read or imported (native {@code loading}, {@code in_progress}). */
    PROCESSING,
    /** The dataset was changed and the async result is ready (native {@code completed}). */
    COMPLETED,
    /**
     * Nothing was imported: the file could not be fetched or read, more records failed than the error
     * threshold allows, or the import was cancelled (native {@code failed}, {@code malformed}, {@code cancelled}).
     */
    FAILED;

    /** The wire spelling, e.g. {@code processing}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The ticket's state while its batch is in {@code status}. */
    static TicketState of(BatchStatus status) {
        return switch (status) {
            case WAITING_FOR_UPLOAD, QUEUED -> ACCEPTED;
            case LOADING, IN_PROGRESS -> PROCESSING;
            case COMPLETED -> COMPLETED;
            case FAILED, MALFORMED, CANCELLED -> FAILED;
        };
    }

    /**
     * The state of the ticket event a native log entry becomes, or empty for entries the ticket does not
     * show (the job's own creation and cancellation, which its batch's entries already tell). A batch is
     * queued twice when its file is fetched: once when accepted ({@code firstQueued}), and again once the
     * file is downloaded, which is already processing.
     */
    static Optional<TicketState> ofEvent(EventType type, boolean firstQueued) {
        return switch (type) {
            case JOB_CREATED, JOB_CANCELLED -> Optional.empty();
            case BATCH_CREATED -> Optional.of(ACCEPTED);
            case BATCH_QUEUED -> Optional.of(firstQueued ? ACCEPTED : PROCESSING);
            case BATCH_LOADED, RECORDS_PROCESSED -> Optional.of(PROCESSING);
            case BATCH_COMPLETED -> Optional.of(COMPLETED);
            case BATCH_MALFORMED, BATCH_FAILED, BATCH_CANCELLED -> Optional.of(FAILED);
        };
    }
}
