package dev.sluice.core.verify.smtp;

import java.io.IOException;

/** The server sent something that is not an SMTP reply (garbage, a line too long, mixed codes). */
final class SmtpProtocolException extends IOException {

    SmtpProtocolException(String message) {
        super(message);
    }
}
