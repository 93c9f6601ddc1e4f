package dev.sluice.core.verify.smtp;

import java.io.IOException;

/**
 * The SOCKS5 proxy could not be reached, refused the authentication or refused the CONNECT: the MX
 * was never spoken to, so nothing is known about the recipient. The message never holds the password.
 */
final class ProxyFailedException extends IOException {

    ProxyFailedException(String message) {
        super(message);
    }

    ProxyFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
