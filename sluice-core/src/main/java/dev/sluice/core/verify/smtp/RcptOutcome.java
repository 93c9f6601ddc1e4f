package dev.sluice.core.verify.smtp;

/** What the SMTP conversation concluded about one recipient. */
public enum RcptOutcome {
    /** 250/251 to RCPT TO. */
    ACCEPTED,
    /** 550/551/553 with 5.1.x, or a text saying the user is unknown. */
    MAILBOX_NOT_FOUND,
    /** 552 or 5.2.2 / 4.2.2: over quota. */
    MAILBOX_FULL,
    /** 5.2.1: mailbox disabled. */
    MAILBOX_DISABLED,
    /** Any other 5xx to RCPT TO (policy, blocked sender...). */
    REJECTED,
    /** 450/451 (greylisting) still after the last retry. */
    GREYLISTED,
    /** 421 or another 4xx still after the last retry. */
    TEMPORARY_FAILURE,
    /** No reply within the read timeout. */
    TIMEOUT,
    /** No MX could be connected to. */
    UNREACHABLE,
    /** Broken reply, dropped connection, or refusal before RCPT TO (EHLO/MAIL FROM). */
    PROTOCOL_ERROR,
    /** Every MX address is one the {@link MxAddressPolicy} refuses (loopback, private...): nothing was sent. */
    ADDRESS_NOT_ALLOWED,
    /** The SOCKS5 proxy could not be reached, refused the authentication or refused the CONNECT. */
    PROXY_FAILED
}
