package dev.sluice.server.problem;

/** A failure the client can act on; the API turns it into problem details with {@link Problem#code()}. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(Problem.NOT_FOUND, "no " + what + " '" + id + "' in this account");
    }
}
