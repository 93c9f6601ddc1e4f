package dev.sluice.server.compat.verification;

import dev.sluice.server.job.BatchStatus;
import java.util.Locale;

/** The seed's status words for an email batch task, derived from the native batch and the download mark. */
public enum EmailBatchStatus {
    /** The batch job has been queued (native {@code waiting_for_upload} or {@code queued}). */
    PENDING,
    /** The file could not be processed (native {@code malformed}, {@code failed} or {@code cancelled}). */
    FILE_ERROR,
    /** File preparation prior to processing (native {@code loading}). */
    LOADING,
    /** The batch task is in progress (native {@code in_progress}). */
    VERIFYING,
    /** The processed file is ready for download (native {@code completed}, not yet downloaded). */
    COMPLETE,
    /** The processed file has been downloaded and charged for (native {@code completed}, download mark set). */
    DOWNLOADED;

    /** The seed's word for a native batch status; {@code downloaded} is the front door's own mark. */
    public static EmailBatchStatus of(BatchStatus status, boolean downloaded) {
        return switch (status) {
            case WAITING_FOR_UPLOAD, QUEUED -> PENDING;
            case LOADING -> LOADING;
            case IN_PROGRESS -> VERIFYING;
            case COMPLETED -> downloaded ? DOWNLOADED : COMPLETE;
            case MALFORMED, FAILED, CANCELLED -> FILE_ERROR;
        };
    }

    /** The wire spelling, e.g. {@code file_error}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
