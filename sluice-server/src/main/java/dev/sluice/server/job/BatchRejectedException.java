package dev.sluice.server.job;

/**
 * A batch that must fail for a reason of its own (an import over its error threshold), not from an
 * infrastructure failure: it is not retried, and the batch moves to {@code failed} with {@code code}.
 */
public class BatchRejectedException extends RuntimeException {

    private final String code;

    public BatchRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
