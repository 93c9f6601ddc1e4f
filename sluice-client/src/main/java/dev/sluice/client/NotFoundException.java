package dev.sluice.client;

/** Nothing with that id or name belongs to the account (HTTP 404); another account's ids answer this too. */
public final class NotFoundException extends SluiceApiException {

    public NotFoundException(Problem problem, String request) {
        super(problem, request);
    }
}
