package dev.sluice.server.compat.export;

/** A refusal in this front door's terms: sent as {@code {"error": <code>, "message": <sentence>}}. */
class BulkExportException extends RuntimeException {

    private final BulkExportError error;

    BulkExportException(BulkExportError error, String message) {
        super(message);
        this.error = error;
    }

    BulkExportError error() {
        return error;
    }

    static BulkExportException invalid(String message) {
        return new BulkExportException(BulkExportError.INVALID_REQUEST, message);
    }
}
