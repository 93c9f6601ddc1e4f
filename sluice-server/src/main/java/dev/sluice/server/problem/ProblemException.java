package dev.sluice.server.problem;

import java.time.Duration;
import java.util.Optional;

/** A failure the client can act on; the API turns it into problem details with {@link Problem#code()}. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem, String detail) {
        this(problem, detail, null);
    }

    /** A refusal that ends by itself after {@code retryAfter}, which the API sends as {@code Retry-After}. */
    public ProblemException(Problem problem, String detail, Duration retryAfter) {
        super(detail);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** How long until the request may succeed; empty when that is not known. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(Problem.NOT_FOUND, "no " + what + " '" + id + "' in this account");
    }
}
