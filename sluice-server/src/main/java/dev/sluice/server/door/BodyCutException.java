package dev.sluice.server.door;

import java.io.IOException;

/**
 * A request body whose reading the server cut for its pace or its size (the client's doing, never a fault of
 * ours): every door answers it as a refusal without a stack trace in the log.
 */
public class BodyCutException extends IOException {

    public BodyCutException(String message) {
        super(message);
    }
}
