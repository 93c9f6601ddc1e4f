package dev.sluice.client;

/** The key may not do this, or a signed link was altered (HTTP 403). */
public final class ForbiddenException extends SluiceApiException {

    public ForbiddenException(Problem problem, String request) {
        super(problem, request);
    }
}
