package dev.sluice.server.job;

/** An idempotency key was used again with a different request. */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String key) {
        super("the Idempotency-Key '" + key + "' was already used for a different request; use a new key");
    }
}
