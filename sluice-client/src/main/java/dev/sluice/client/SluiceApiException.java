package dev.sluice.client;

import java.util.Objects;

/**
 * The server answered with an error status; {@link #problem()} says why. The common statuses have their
 * own subclasses ({@link InvalidRequestException}, {@link UnauthorizedException}, {@link ForbiddenException},
 * {@link NotFoundException}, {@link ConflictException}, {@link GoneException},
 * {@link PayloadTooLargeException}), so callers can catch what they handle.
 */
public class SluiceApiException extends SluiceException {

    private final transient Problem problem;
    private final String request;

    /**
     * @param problem what the server said
     * @param request the request it answered, e.g. {@code POST /api/v1/jobs} (never with a signed URL's query)
     */
    public SluiceApiException(Problem problem, String request) {
        super(request + " answered " + describe(problem));
        this.problem = Objects.requireNonNull(problem, "problem");
        this.request = request;
    }

    /** The exception for an error answer: the subclass for its status, or this class for the others. */
    public static SluiceApiException of(Problem problem, String request) {
        return switch (problem.status()) {
            case 400 -> new InvalidRequestException(problem, request);
            case 401 -> new UnauthorizedException(problem, request);
            case 403 -> new ForbiddenException(problem, request);
            case 404 -> new NotFoundException(problem, request);
            case 409 -> new ConflictException(problem, request);
            case 410 -> new GoneException(problem, request);
            case 413 -> new PayloadTooLargeException(problem, request);
            default -> new SluiceApiException(problem, request);
        };
    }

    /** The request the server answered with this error, e.g. {@code POST /api/v1/jobs}. */
    public String request() {
        return request;
    }

    /** The RFC 9457 problem detail the server sent (or one built from the status when it sent none). */
    public Problem problem() {
        return problem;
    }

    /** The HTTP status code of the answer. */
    public int status() {
        return problem.status();
    }

    /** Sluice's stable error code, or null when the answer carried none. */
    public String code() {
        return problem.code();
    }

    private static String describe(Problem p) {
        StringBuilder s = new StringBuilder("HTTP ").append(p.status());
        if (p.title() != null && !p.title().isBlank()) {
            s.append(' ').append(p.title());
        }
        if (p.detail() != null && !p.detail().isBlank()) {
            s.append(": ").append(p.detail());
        }
        if (p.code() != null && !p.code().isBlank()) {
            s.append(" [").append(p.code()).append(']');
        }
        return s.toString();
    }
}
