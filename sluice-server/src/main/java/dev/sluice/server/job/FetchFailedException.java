package dev.sluice.server.job;

import java.io.IOException;

/**
 * A source URI could not be fetched. The message is a sentence for the batch's error (never Java exception
 * text, never fetched content, never the URI's password). A retryable failure (a timeout, a refused connection,
 * HTTP 5xx) retries the load task and ends the batch {@code failed / fetch_failed} after
 * {@code sluice.job.max-attempts}; any other (HTTP 4xx, an FTP 5xx reply, a TLS failure) ends it at once.
 */
public class FetchFailedException extends IOException {

    private final boolean retryable;

    private FetchFailedException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** A failure another attempt may not meet (a timeout, a refused or broken connection, a server error). */
    public static FetchFailedException retryable(String message) {
        return new FetchFailedException(message, true);
    }

    /** A failure every attempt would meet again (not found, not allowed, a bad certificate). */
    public static FetchFailedException permanent(String message) {
        return new FetchFailedException(message, false);
    }

    public boolean isRetryable() {
        return retryable;
    }

    /** The first {@code FetchFailedException} in {@code failure}'s cause chain, or null. */
    public static FetchFailedException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FetchFailedException f) {
                return f;
            }
            if (t.getCause() == t) {
                return null;
            }
        }
        return null;
    }
}
