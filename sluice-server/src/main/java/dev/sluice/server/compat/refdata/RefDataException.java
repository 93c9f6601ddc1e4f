package dev.sluice.server.compat.refdata;

/**
 * A refusal in the front door's own terms: an HTTP status and the sentence sent as
 * {@code {"status": <code>, "message": "..."}}.
 */
class RefDataException extends RuntimeException {

    private final int status;

    RefDataException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static RefDataException badRequest(String message) {
        return new RefDataException(400, message);
    }

    static RefDataException unauthorized(String message) {
        return new RefDataException(401, message);
    }

    static RefDataException notFound(String message) {
        return new RefDataException(404, message);
    }
}
