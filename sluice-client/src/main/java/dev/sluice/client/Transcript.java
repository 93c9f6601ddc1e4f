package dev.sluice.client;

import java.util.List;

/**
 * The SMTP conversation behind one address's verdict, kept by a verify job created with
 * {@link VerifyOptions#withTranscripts()}.
 *
 * @param email       the address as the batch held it
 * @param status      the verdict: {@code valid}, {@code invalid}, {@code accept_all} or {@code unknown}
 * @param reason      the verdict's reason code
 * @param source      {@code smtp}, {@code cache} (no conversation: the answer was known), or {@code none}
 *                    (syntax, lists or DNS decided)
 * @param note        one sentence on where the verdict came from
 * @param connections the SMTP connections behind the verdict
 * @param lines       their lines, connection after connection
 */
public record Transcript(String email, String status, String reason, String source, String note,
        List<Connection> connections, List<Line> lines) {

    /**
     * One SMTP connection.
     *
     * @param connection      its number, from 1, as {@link Line#connection()} names it
     * @param proxy           {@code host:port} of the SOCKS5 proxy it went through, or null
     * @param failure         why it ended without a normal QUIT, or null
     * @param otherRecipients RCPT TO exchanges about other addresses of the batch left out
     */
    public record Connection(int connection, String mxHost, String mxAddress, int port, String proxy, String failure,
            int otherRecipients) {
    }

    /**
     * One line sent or received.
     *
     * @param atMs      milliseconds since the connection was opened
     * @param direction {@code sent} or {@code received}
     */
    public record Line(int connection, long atMs, String direction, String line) {
    }
}
