package dev.sluice.core.testing;

import dev.sluice.core.verify.dns.MxHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server on loopback for tests: CRLF framing, a multi-line {@code 250-} EHLO reply, one virtual
 * thread per connection, and a {@link Behavior} that makes it answer like a particular kind of mail server
 * (accept everything, reject unknown users, greylist, answer slowly, drop the connection, be over quota,
 * be busy, refuse EHLO, offer STARTTLS). It counts what it saw so tests can assert exact numbers.
 *
 * <pre>{@code
 * try (TestSmtpServer mx1 = TestSmtpServer.start(Behavior.onlyMailboxes("ann@example.com"));
 *      TestSmtpServer mx2 = mx1.startSibling(TestSmtpServer.loopback(2), Behavior.acceptAll())) {
 *     prober = new SocketSmtpProber(settingsWithPort(mx1.port()), MxAddressPolicy.anyAddress());
 *     prober.probe("example.com", List.of(mx1.mx(10), mx2.mx(20)), List.of("ann@example.com"));
 *     assertThat(mx1.rcptCommands()).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>A prober uses one port for every MX, so several servers of one test bind different loopback addresses
 * ({@code 127.0.0.x}, see {@link #loopback(int)}) on the same port: start the first on port 0 and the others
 * with {@link #startSibling(InetAddress, Behavior)}. Linux routes all of 127/8 to the loopback interface;
 * macOS needs {@code ifconfig lo0 alias 127.0.0.x} first.
 *
 * <p>Recipients are matched case-insensitively. The server never delivers anything: {@code DATA} is
 * refused.
 */
public final class TestSmtpServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final Behavior behavior;
    private final String name;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> connectionsFrom = new ConcurrentHashMap<>();
    private final AtomicInteger maxOpenConnections = new AtomicInteger();
    private final AtomicInteger rcptCommands = new AtomicInteger();
    private final AtomicInteger busyAnswers = new AtomicInteger();
    /** Connections beyond this many open at once get 421 at the banner; 0 = no such limit. */
    private volatile int busyAbove;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    private final List<String> recipients = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    private TestSmtpServer(ServerSocket serverSocket, Behavior behavior) {
        this.serverSocket = serverSocket;
        this.behavior = behavior;
        this.name = "mx-" + serverSocket.getInetAddress().getHostAddress() + ".test";
        Thread.ofVirtual().name("test-smtp-accept-" + serverSocket.getLocalPort()).start(this::acceptLoop);
    }

    /** A server on 127.0.0.1 on a free port. */
    public static TestSmtpServer start(Behavior behavior) {
        return start(loopback(1), 0, behavior);
    }

    /**
     * A server on {@code bindAddress}:{@code port}; port 0 picks a free one (read it back with {@link
     * #port()}).
     */
    public static TestSmtpServer start(InetAddress bindAddress, int port, Behavior behavior) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, port), 50);
            return new TestSmtpServer(socket, behavior);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a test SMTP server to " + bindAddress.getHostAddress() + ":"
                    + port + " (on macOS, alias the address on lo0 first)", e);
        }
    }

    /** Another server on {@code bindAddress} with this server's port, as a second MX of the same domain. */
    public TestSmtpServer startSibling(InetAddress bindAddress, Behavior behavior) {
        return start(bindAddress, port(), behavior);
    }

    /** {@code 127.0.0.<lastOctet>}. */
    public static InetAddress loopback(int lastOctet) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public InetAddress address() {
        return serverSocket.getInetAddress();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** This server as an MX record of preference {@code preference}, named after its address. */
    public MxHost mx(int preference) {
        return new MxHost(name, preference, List.of(address()));
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** TCP connections accepted so far from this client address (see {@link TestSocks5Server#egressAddress()}). */
    public int connectionsFrom(InetAddress client) {
        AtomicInteger count = connectionsFrom.get(client);
        return count == null ? 0 : count.get();
    }

    /** Connections open now (a connection counts as closed once its QUIT is received). */
    public int openConnections() {
        return openConnections.get();
    }

    /** The most connections that were open at the same time. */
    public int maxOpenConnections() {
        return maxOpenConnections.get();
    }

    /** {@code RCPT TO} commands received, the catch-all probe included. */
    /**
     * From now on, a connection that finds more than {@code connections} open (itself included) is greeted with
     * {@code 421 4.7.0 Too many connections} and closed, as a provider does to a sender it throttles.
     */
    public TestSmtpServer busyAbove(int connections) {
        busyAbove = connections;
        return this;
    }

    /** Connections turned away with 421 by {@link #busyAbove(int)}. */
    public int busyAnswers() {
        return busyAnswers.get();
    }

    public int rcptCommands() {
        return rcptCommands.get();
    }

    /** How many times {@code RCPT TO} named this address. */
    public int attempts(String address) {
        AtomicInteger count = attempts.get(key(address));
        return count == null ? 0 : count.get();
    }

    /** How many times a command verb ({@code EHLO}, {@code HELO}, {@code RSET}, {@code STARTTLS}...) arrived. */
    public int commands(String verb) {
        AtomicInteger count = commands.get(verb.toUpperCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    /** Every {@code RCPT TO} address in arrival order, lower-cased, the probe included. */
    public List<String> recipientsSeen() {
        synchronized (recipients) {
            return List.copyOf(recipients);
        }
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing a test server is best effort
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                connections.incrementAndGet();
                connectionsFrom.computeIfAbsent(socket.getInetAddress(), a -> new AtomicInteger()).incrementAndGet();
                open.add(socket);
                maxOpenConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
                Thread.ofVirtual().name("test-smtp-" + port()).start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("test SMTP server stopped accepting", e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        Session session = new Session(socket);
        try (socket) {
            session.run();
        } catch (IOException | InterruptedException ignored) {
            // the client went away or the test ended
        } finally {
            session.ended();
            open.remove(socket);
        }
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** One client connection's state. */
    private final class Session {

        private final Socket socket;
        private OutputStream out;
        private boolean greeted;
        private boolean inTransaction;
        private boolean counted = true;

        Session(Socket socket) {
            this.socket = socket;
        }

        void run() throws IOException, InterruptedException {
            out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (behavior.busy) {
                reply("421 4.3.2 " + name + " Service not available, try again later");
                return;
            }
            int limit = busyAbove;
            if (limit > 0 && openConnections.get() > limit) {
                busyAnswers.incrementAndGet();
                reply("421 4.7.0 " + name + " Too many connections, try again later");
                return;
            }
            reply("220 " + name + " ESMTP test server ready");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = verb(line);
                commands.computeIfAbsent(verb, v -> new AtomicInteger()).incrementAndGet();
                switch (verb) {
                    case "EHLO" -> ehlo();
                    case "HELO" -> {
                        greeted = true;
                        reply("250 " + name);
                    }
                    case "STARTTLS" -> {
                        if (behavior.breakTls) {
                            // promise TLS, then speak plain text: the client's handshake fails
                            reply("220 2.0.0 Ready to start TLS");
                            reply("this is not a TLS server hello");
                            return;
                        }
                        reply("454 4.7.0 TLS not available");
                    }
                    case "MAIL" -> mail();
                    case "RCPT" -> {
                        if (!rcpt(argument(line))) {
                            return;
                        }
                    }
                    case "RSET" -> {
                        inTransaction = false;
                        reply("250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply("250 2.0.0 Ok");
                    case "DATA" -> reply("554 5.5.1 test server delivers nothing");
                    case "QUIT" -> {
                        ended();
                        reply("221 2.0.0 Bye");
                        return;
                    }
                    default -> reply("500 5.5.2 Command not recognized");
                }
            }
        }

        private void ehlo() throws IOException, InterruptedException {
            if (behavior.refuseEhlo) {
                reply("502 5.5.2 EHLO not implemented");
                return;
            }
            greeted = true;
            StringBuilder reply = new StringBuilder("250-" + name + " greets you\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n");
            if (behavior.advertiseStartTls) {
                reply.append("250-STARTTLS\r\n");
            }
            reply.append("250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");
            reply(reply.toString());
        }

        private void mail() throws IOException, InterruptedException {
            if (!greeted) {
                reply("503 5.5.1 Say EHLO first");
                return;
            }
            inTransaction = true;
            reply("250 2.1.0 Ok");
        }

        /** Answers one RCPT TO; false when the connection is to end. */
        private boolean rcpt(String argument) throws IOException, InterruptedException {
            rcptCommands.incrementAndGet();
            String address = key(argument.replaceFirst("(?i)^TO:\\s*", "").replaceAll("[<>]", "").strip());
            recipients.add(address);
            int attempt = attempts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (!inTransaction) {
                reply("503 5.5.1 Need MAIL FROM first");
                return true;
            }
            if (behavior.dropAt.contains(address)) {
                // hang up without a word, as a crashing or hostile server does
                return false;
            }
            Duration delay = behavior.slowRecipients.get(address);
            if (delay != null) {
                Thread.sleep(delay);
            }
            if (behavior.fixedReplies.containsKey(address)) {
                reply(behavior.fixedReplies.get(address));
            } else if (attempt <= behavior.greylistAttempts) {
                reply("451 4.7.1 <" + address + ">: Recipient address rejected: Greylisted, try again later");
            } else if (behavior.knownMailboxes != null && !behavior.knownMailboxes.contains(address)) {
                reply("550 5.1.1 <" + address + ">: Recipient address rejected: User unknown");
            } else {
                reply("250 2.1.5 Ok");
            }
            return true;
        }

        private void reply(String text) throws IOException, InterruptedException {
            if (!behavior.replyDelay.isZero()) {
                Thread.sleep(behavior.replyDelay);
            }
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Counts the connection closed once, at QUIT or when it ends. */
        void ended() {
            if (counted) {
                counted = false;
                openConnections.decrementAndGet();
            }
        }

        private static String verb(String line) {
            int space = line.indexOf(' ');
            return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        }

        private static String argument(String line) {
            int space = line.indexOf(' ');
            return space < 0 ? "" : line.substring(space + 1);
        }
    }

    /**
     * How a {@link TestSmtpServer} answers. Start from {@link #acceptAll()} or {@link #onlyMailboxes(String...)}
     * and add traits; each {@code with...}/trait method returns a new behaviour. For RCPT TO, the first
     * matching rule wins: drop, slow (then goes on), mailbox full, greylisted attempt, unknown user, accept.
     */
    public static final class Behavior {

        private final Set<String> knownMailboxes;
        private final int greylistAttempts;
        private final Duration replyDelay;
        private final Map<String, Duration> slowRecipients;
        private final Set<String> dropAt;
        private final Map<String, String> fixedReplies;
        private final boolean busy;
        private final boolean refuseEhlo;
        private final boolean advertiseStartTls;
        private final boolean breakTls;

        private Behavior(Set<String> knownMailboxes, int greylistAttempts, Duration replyDelay,
                Map<String, Duration> slowRecipients, Set<String> dropAt, Map<String, String> fixedReplies, boolean busy,
                boolean refuseEhlo, boolean advertiseStartTls, boolean breakTls) {
            this.knownMailboxes = knownMailboxes;
            this.greylistAttempts = greylistAttempts;
            this.replyDelay = replyDelay;
            this.slowRecipients = Map.copyOf(slowRecipients);
            this.dropAt = Set.copyOf(dropAt);
            this.fixedReplies = Map.copyOf(fixedReplies);
            this.busy = busy;
            this.refuseEhlo = refuseEhlo;
            this.advertiseStartTls = advertiseStartTls;
            this.breakTls = breakTls;
        }

        /** Every recipient gets {@code 250 2.1.5 Ok}: a catch-all domain. */
        public static Behavior acceptAll() {
            return new Behavior(null, 0, Duration.ZERO, Map.of(), Set.of(), Map.of(), false, false, false, false);
        }

        /** Only these mailboxes exist; every other recipient (the catch-all probe too) gets {@code 550 5.1.1}. */
        public static Behavior onlyMailboxes(String... addresses) {
            Set<String> known = new HashSet<>();
            for (String address : addresses) {
                known.add(key(address));
            }
            return acceptAll().copy(Set.copyOf(known), null, null, null, null, null, null, null, null);
        }

        /** The first RCPT TO of each recipient gets {@code 451 4.7.1} (greylisting); later attempts go on. */
        public Behavior greylisting() {
            return greylisting(1);
        }

        /** The first {@code deferredAttempts} RCPT TO of each recipient get {@code 451 4.7.1}. */
        public Behavior greylisting(int deferredAttempts) {
            return copy(null, deferredAttempts, null, null, null, null, null, null, null);
        }

        /** Waits this long before every reply, the banner included (the bench uses 20 ms). */
        public Behavior replyDelay(Duration delay) {
            return copy(null, null, delay, null, null, null, null, null, null);
        }

        /** Waits this long before answering RCPT TO for this address (on top of {@link #replyDelay}). */
        public Behavior slowRecipient(String address, Duration delay) {
            Map<String, Duration> slow = new HashMap<>(slowRecipients);
            slow.put(key(address), delay);
            return copy(null, null, null, slow, null, null, null, null, null);
        }

        /** Closes the connection without a reply when RCPT TO names this address. */
        public Behavior dropConnectionAt(String address) {
            Set<String> drop = new HashSet<>(dropAt);
            drop.add(key(address));
            return copy(null, null, null, null, drop, null, null, null, null);
        }

        /** Answers {@code 552 5.2.2 Mailbox full} for this address. */
        public Behavior mailboxFull(String address) {
            return fixedReply(address, "552 5.2.2 <" + key(address) + ">: Mailbox full");
        }

        /** Answers {@code 550 5.2.1 Mailbox disabled} for this address. */
        public Behavior mailboxDisabled(String address) {
            return fixedReply(address, "550 5.2.1 <" + key(address) + ">: Mailbox disabled, not accepting messages");
        }

        private Behavior fixedReply(String address, String reply) {
            Map<String, String> replies = new HashMap<>(fixedReplies);
            replies.put(key(address), reply);
            return copy(null, null, null, null, null, replies, null, null, null);
        }

        /** Greets with {@code 421 4.3.2} and hangs up: a busy server. */
        public Behavior busyAtBanner() {
            return copy(null, null, null, null, null, null, true, null, null);
        }

        /** Answers EHLO with {@code 502 5.5.2}, so clients must fall back to HELO. */
        public Behavior refuseEhlo() {
            return copy(null, null, null, null, null, null, null, true, null);
        }

        /** Lists STARTTLS in the EHLO reply (and answers the command with {@code 454}: no TLS here). */
        public Behavior advertiseStartTls() {
            return copy(null, null, null, null, null, null, null, null, true);
        }

        /**
         * Lists STARTTLS, answers it with 220 and then writes plain text instead of a TLS handshake, as a
         * server with a broken TLS setup looks to a client.
         */
        public Behavior brokenStartTls() {
            Behavior advertised = advertiseStartTls();
            return new Behavior(advertised.knownMailboxes, advertised.greylistAttempts, advertised.replyDelay,
                    advertised.slowRecipients, advertised.dropAt, advertised.fixedReplies, advertised.busy,
                    advertised.refuseEhlo, true, true);
        }

        private Behavior copy(Set<String> known, Integer greylist, Duration delay, Map<String, Duration> slow,
                Set<String> drop, Map<String, String> full, Boolean isBusy, Boolean noEhlo, Boolean startTls) {
            return new Behavior(known != null ? known : knownMailboxes, greylist != null ? greylist : greylistAttempts,
                    delay != null ? delay : replyDelay, slow != null ? slow : slowRecipients, drop != null ? drop : dropAt,
                    full != null ? full : fixedReplies, isBusy != null ? isBusy : busy,
                    noEhlo != null ? noEhlo : refuseEhlo, startTls != null ? startTls : advertiseStartTls, breakTls);
        }
    }
}
