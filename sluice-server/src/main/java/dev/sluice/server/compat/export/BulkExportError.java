package dev.sluice.server.compat.export;

import dev.sluice.server.problem.Problem;
import java.util.Locale;

/**
 * The {@code "error"} codes of this front door's refusals, each with its HTTP status. The seed shows no
 * error format; these codes are ours and listed in the README.
 */
enum BulkExportError {
    /** The body is not a JSON object of {@code dataset}, {@code fields} and {@code filter}, or names unknown columns (400). */
    INVALID_REQUEST(400),
    /** No API key in {@code x-api-key} (or {@code Authorization: Bearer}), or one that is not valid (401). */
    UNAUTHORIZED(401),
    /** No such dataset or export request for this key's account (404). */
    NOT_FOUND(404),
    /** The body is larger than a request needs (413). */
    PAYLOAD_TOO_LARGE(413),
    /** The body is sent with a {@code Content-Type} other than JSON (415). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** This node cannot take the request: it has no api role, or the SFTP drop is disabled (503). */
    SERVICE_UNAVAILABLE(503),
    /** Something failed on the server; its log has the details (500). */
    INTERNAL_ERROR(500);

    private final int httpStatus;

    BulkExportError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    int httpStatus() {
        return httpStatus;
    }

    /** The wire spelling, e.g. {@code not_found}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The refusal a native problem becomes here; kinds this front door does not name are server errors. */
    static BulkExportError of(Problem problem) {
        return switch (problem) {
            case INVALID_REQUEST -> INVALID_REQUEST;
            case UNSUPPORTED_MEDIA_TYPE -> UNSUPPORTED_MEDIA_TYPE;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case NOT_FOUND -> NOT_FOUND;
            case PAYLOAD_TOO_LARGE -> PAYLOAD_TOO_LARGE;
            case NOT_AN_API_NODE -> SERVICE_UNAVAILABLE;
            default -> INTERNAL_ERROR;
        };
    }
}
