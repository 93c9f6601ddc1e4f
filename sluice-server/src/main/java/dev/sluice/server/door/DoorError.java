package dev.sluice.server.door;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;

/**
 * What went wrong with a request, in the terms every door shares: the kind ({@link Problem}, closed, with
 * its HTTP status) and a sentence for the client saying what to do. The native API sends it as problem
 * details; each front door maps it to its seed's envelope in its one error handler.
 *
 * @param problem the kind of failure
 * @param message the sentence for the client; never exception text of a library
 * @param cause   the failure it was made from, for a door that names some kinds more finely (never shown)
 */
public record DoorError(Problem problem, String message, Throwable cause) {

    /**
     * Whether the server failed rather than refused: a 5xx that is not one of our own refusals (a
     * {@link ProblemException}). Doors answer these with their seed's generic server-error sentence.
     */
    public boolean serverFault() {
        return problem.status() >= 500 && !(cause instanceof ProblemException);
    }

    /** The HTTP status of this kind of failure. */
    public int status() {
        return problem.status();
    }
}
