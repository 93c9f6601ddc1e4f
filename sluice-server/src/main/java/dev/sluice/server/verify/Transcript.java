package dev.sluice.server.verify;

import java.util.List;

/**
 * The SMTP conversation behind one address's verdict, as the account that verified it may read it: the
 * verdict, where its evidence came from ({@code smtp}, {@code cache}, or {@code none} when syntax, lists or
 * DNS decided without a mail server), the connections behind it and their lines. Lines about other
 * addresses of the batch that shared a connection (their RCPT TO and its reply) are left out and counted.
 *
 * @param email  the address as the batch held it
 * @param status the verdict's status
 * @param reason the verdict's reason code
 * @param source {@code smtp}, {@code cache} or {@code none}
 * @param note   one sentence on where the verdict came from
 */
public record Transcript(String email, String status, String reason, String source, String note,
        List<Connection> connections, List<Line> lines) {

    /**
     * One SMTP connection behind the verdict.
     *
     * @param connection     its number in this transcript, from 1; lines name it
     * @param proxy          {@code host:port} of the SOCKS5 proxy it went through, or null
     * @param failure        why it ended without a normal QUIT, or null
     * @param otherRecipients how many RCPT TO exchanges about other addresses were left out
     */
    public record Connection(int connection, String mxHost, String mxAddress, int port, String proxy, String failure,
            int otherRecipients) {
    }

    /**
     * One line of a connection.
     *
     * @param atMs      milliseconds since the connection was opened
     * @param direction {@code sent} (a command) or {@code received} (a reply line)
     */
    public record Line(int connection, long atMs, String direction, String line) {
    }
}
