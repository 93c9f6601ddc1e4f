package dev.sluice.client;

/**
 * A call to the Sluice server did not succeed: the server could not be reached, the transfer broke,
 * the answer could not be read, or waiting timed out. Error answers from the server are the subclass
 * {@link SluiceApiException}.
 */
public class SluiceException extends RuntimeException {

    public SluiceException(String message) {
        super(message);
    }

    public SluiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
