package dev.sluice.server.api;

import dev.sluice.server.problem.Problem;

/** The problem and sentence for an HTTP status the servlet container chose, where no controller spoke. */
final class ContainerErrors {

    private ContainerErrors() {
    }

    /** The problem with this status, else the generic client or server one. */
    static Problem problem(int status) {
        for (Problem problem : Problem.values()) {
            if (problem.status() == status && problem != Problem.INVALID_SIGNATURE
                    && problem != Problem.IDEMPOTENCY_KEY_REUSED) {
                return problem;
            }
        }
        return status >= 500 ? Problem.INTERNAL_ERROR : Problem.INVALID_REQUEST;
    }

    static String detail(Problem problem, int status) {
        return switch (problem) {
            case NOT_FOUND -> "no such endpoint";
            case METHOD_NOT_ALLOWED -> "the HTTP method is not allowed on this path";
            case PAYLOAD_TOO_LARGE -> "the request is larger than this server takes";
            case INTERNAL_ERROR -> "the server failed to handle the request; it may be retried";
            default -> status == 400 ? "the request could not be read: check the %-escapes in the path "
                    + "(each must encode UTF-8; '/' and '\\' may not be escaped) and the size of the headers"
                    : "the request was refused (HTTP " + status + ")";
        };
    }
}
