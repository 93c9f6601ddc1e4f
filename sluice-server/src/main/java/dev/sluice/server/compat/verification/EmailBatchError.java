package dev.sluice.server.compat.verification;

/**
 * The {@code "Status"} words this front door answers instead of {@code "OK"}, each with its HTTP status.
 * The seed says only that any status but {@code "OK"} is an error; these words are ours and documented.
 */
public enum EmailBatchError {
    /** {@code lqtkey} is missing or is not a valid key (401). */
    INVALID_KEY(401),
    /** The request lacks the multipart file field {@code email} (400). */
    MISSING_FILE(400),
    /** The uploaded file's name does not end in {@code .csv} (400). */
    INVALID_FILE_TYPE(400),
    /** An evaluation key uploaded a file of more than 1,000 records (413). */
    EVALUATION_LIMIT_EXCEEDED(413),
    /** The file is larger than {@code sluice.ingest.max-file-size} (413). */
    FILE_TOO_LARGE(413),
    /** The account's credit balance does not cover the (estimated) cost (402). */
    INSUFFICIENT_CREDIT(402),
    /** No task with this {@code job_id} for this key's account (404). */
    JOB_NOT_FOUND(404),
    /** The task is not {@code complete} (nor {@code downloaded}), so there is no file to download yet (409). */
    NOT_READY(409),
    /** The processed file has passed its retention and was deleted (410). */
    FILE_EXPIRED(410),
    /** The request is not one this front door understands (400). */
    INVALID_REQUEST(400),
    /** The upload is sent with a {@code Content-Type} other than multipart/form-data (415). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Something failed on the server; the log has the details (500). */
    SERVER_ERROR(500);

    private final int httpStatus;

    EmailBatchError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
