package dev.sluice.core.verify.smtp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SMTP conversation of one domain's probe, kept when a job asks for transcripts: every connection the
 * prober opened (its MX, the proxy's {@code host:port} if any, never its credentials), each command sent and
 * each reply line received with the milliseconds since the connection was opened, and which recipients each
 * connection asked about. One conversation serves every address of the domain; {@link #behind(String)} picks
 * the connections that decided one address.
 *
 * <p>Written by one prober call on one thread; read after the call returned.
 */
public final class SmtpTranscript {

    /** Who said a line. */
    public enum Direction {
        /** A command Sluice sent to the mail server. */
        SENT,
        /** A reply line the mail server sent back. */
        RECEIVED
    }

    /** One line of a conversation, {@code atMs} after its connection was opened. */
    public record Line(long atMs, Direction direction, String text) {
    }

    private final List<Connection> connections = new ArrayList<>();
    private String probeAddress;

    /** Every connection of the conversation, in the order they were opened. */
    public List<Connection> connections() {
        return Collections.unmodifiableList(connections);
    }

    /**
     * The connections behind {@code address}'s verdict: those that asked about it and the one that ran the
     * domain's catch-all probe; when no connection got as far as asking about it, all of them (they failed
     * before, and their failures decided it).
     */
    public List<Connection> behind(String address) {
        List<Connection> asked = new ArrayList<>();
        for (Connection connection : connections) {
            if (connection.recipients.contains(address)
                    || (probeAddress != null && connection.recipients.contains(probeAddress))) {
                asked.add(connection);
            }
        }
        boolean askedAbout = asked.stream().anyMatch(connection -> connection.recipients.contains(address));
        return askedAbout ? asked : connections();
    }

    /** The random catch-all probe address of this conversation, or null when no probe was planned. */
    public String probeAddress() {
        return probeAddress;
    }

    void probeAddress(String address) {
        this.probeAddress = address;
    }

    /** Starts the log of a connection about to be opened; the clock of its lines starts now. */
    Connection open(String mxHost, InetAddress address, int port, SmtpProxy proxy) {
        Connection connection = new Connection(mxHost, address.getHostAddress(), port,
                proxy == null ? null : hostPort(proxy));
        connections.add(connection);
        return connection;
    }

    /** The proxy as {@code host:port}: what a transcript may show of it (never the user or password). */
    private static String hostPort(SmtpProxy proxy) {
        return (proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host()) + ":" + proxy.port();
    }

    /** {@code text} with the proxy named by {@code host:port} only, where it named its user. */
    static String shown(String text, SmtpProxy proxy) {
        return proxy == null ? text : text.replace(proxy.toString(), hostPort(proxy));
    }

    /** One connection's log. */
    public static final class Connection {

        private final String mxHost;
        private final String mxAddress;
        private final int port;
        private final String proxy;
        private final long openedNanos = System.nanoTime();
        private final List<Line> lines = new ArrayList<>();
        private final Set<String> recipients = new HashSet<>();
        private String failure;

        private Connection(String mxHost, String mxAddress, int port, String proxy) {
            this.mxHost = mxHost;
            this.mxAddress = mxAddress;
            this.port = port;
            this.proxy = proxy;
        }

        /** The MX host name the connection went to. */
        public String mxHost() {
            return mxHost;
        }

        /** The MX address connected to. */
        public String mxAddress() {
            return mxAddress;
        }

        public int port() {
            return port;
        }

        /** {@code host:port} of the SOCKS5 proxy the connection went through, or null when direct. */
        public String proxy() {
            return proxy;
        }

        /** Why the connection ended without a normal QUIT (refused, timed out, dropped), or null. */
        public String failure() {
            return failure;
        }

        public List<Line> lines() {
            return Collections.unmodifiableList(lines);
        }

        /** Whether this connection sent a RCPT TO for {@code address}. */
        public boolean asked(String address) {
            return recipients.contains(address);
        }

        void sent(String line) {
            lines.add(new Line(elapsedMs(), Direction.SENT, line));
        }

        void received(String line) {
            lines.add(new Line(elapsedMs(), Direction.RECEIVED, line));
        }

        void recipient(String address) {
            recipients.add(address);
        }

        void failed(String why) {
            if (failure == null) {
                failure = why;
            }
        }

        private long elapsedMs() {
            return (System.nanoTime() - openedNanos) / 1_000_000;
        }
    }
}
