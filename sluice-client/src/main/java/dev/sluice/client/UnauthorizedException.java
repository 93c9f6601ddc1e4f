package dev.sluice.client;

/** The API key is missing or unknown (HTTP 401). */
public final class UnauthorizedException extends SluiceApiException {

    public UnauthorizedException(Problem problem, String request) {
        super(problem, request);
    }
}
