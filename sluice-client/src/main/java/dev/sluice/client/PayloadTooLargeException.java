package dev.sluice.client;

/** The file or body is over the server's size limit; nothing of it was kept (HTTP 413). */
public final class PayloadTooLargeException extends SluiceApiException {

    public PayloadTooLargeException(Problem problem, String request) {
        super(problem, request);
    }
}
