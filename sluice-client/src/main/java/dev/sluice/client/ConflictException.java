package dev.sluice.client;

/** The resource is not in a state that allows the request (HTTP 409): a result before completion, an upload twice, an Idempotency-Key reused with another body. */
public final class ConflictException extends SluiceApiException {

    public ConflictException(Problem problem, String request) {
        super(problem, request);
    }
}
