package dev.sluice.server.compat.verification;

/** A refusal answered as the seed's envelope: {@code {"Status": <error>, "Message": <message>}}. */
public class EmailBatchException extends RuntimeException {

    private final EmailBatchError error;

    public EmailBatchException(EmailBatchError error, String message) {
        super(message);
        this.error = error;
    }

    public EmailBatchError error() {
        return error;
    }
}
