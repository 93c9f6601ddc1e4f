package dev.sluice.server.job;

/** A status change that the lifecycle's transition table does not allow. */
public class IllegalTransitionException extends RuntimeException {

    private final Enum<?> from;
    private final Enum<?> to;

    public IllegalTransitionException(Enum<?> from, Enum<?> to) {
        super("cannot move from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public Enum<?> from() {
        return from;
    }

    public Enum<?> to() {
        return to;
    }
}
