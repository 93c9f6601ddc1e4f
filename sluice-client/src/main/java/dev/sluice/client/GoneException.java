package dev.sluice.client;

/** A signed link expired, or a result was purged after its retention (HTTP 410). */
public final class GoneException extends SluiceApiException {

    public GoneException(Problem problem, String request) {
        super(problem, request);
    }
}
