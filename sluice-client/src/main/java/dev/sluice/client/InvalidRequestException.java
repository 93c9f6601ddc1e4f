package dev.sluice.client;

/** The server refused the request as invalid (HTTP 400, {@code invalid_request}); the detail says which field. */
public final class InvalidRequestException extends SluiceApiException {

    public InvalidRequestException(Problem problem, String request) {
        super(problem, request);
    }
}
