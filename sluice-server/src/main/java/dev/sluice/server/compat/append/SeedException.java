package dev.sluice.server.compat.append;

/**
 * A refusal in the front door's own terms: an HTTP status and the sentence sent as
 * {@code {"message": ...}}.
 */
class SeedException extends RuntimeException {

    private final int status;

    SeedException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static SeedException badRequest(String message) {
        return new SeedException(400, message);
    }

    static SeedException notFound(String what, String id) {
        return new SeedException(404, "no " + what + " '" + id + "' for this API key");
    }
}
