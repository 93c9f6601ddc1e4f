package dev.sluice.core.verify.smtp;

import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.providers.Provider;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link SmtpProber} over plain blocking sockets, one conversation at a time per call; meant to run on a
 * virtual thread per domain.
 *
 * <p>How a call goes. MX addresses are tried in preference order (each host's addresses in order); a
 * refused or timed-out connection, a banner other than 220, or a refused EHLO+HELO or MAIL FROM moves on
 * to the next address. Once one answers, the conversation is: banner, {@code EHLO} ({@code HELO} when
 * EHLO gets a 5xx), optionally {@code STARTTLS} + EHLO again, {@code MAIL FROM}, the catch-all probe
 * ({@code RCPT TO} a random {@code sluice-probe-...} local part, not counted against {@code
 * recipientsPerConnection}), then one {@code RCPT TO} per recipient, {@code RSET} + {@code MAIL FROM} every
 * {@value #RCPTS_PER_TRANSACTION} RCPTs, {@code QUIT}; a new connection after {@code recipientsPerConnection}
 * recipients. When no address works, every recipient left gets {@code TEMPORARY_FAILURE}/{@code
 * GREYLISTED} if some server answered 4xx (and is retried), else {@code PROTOCOL_ERROR} if one refused
 * the conversation or sent garbage, else {@code TIMEOUT} if one accepted the connection but did not answer
 * the banner, EHLO or MAIL FROM in time, else {@code UNREACHABLE} (refused or timed-out connections).
 *
 * <p>Failures inside the conversation: a 421 ends the connection (the server closes) and the rest are
 * asked on a new one; a read timeout makes the recipient in flight {@code TIMEOUT} and the rest are asked
 * on a new connection, once per MX address (a second timeout makes all of the rest {@code TIMEOUT}); a
 * dropped connection or garbage makes the recipient in flight {@code PROTOCOL_ERROR} and the rest are asked
 * on a new connection, once per call round (a second drop makes the rest {@code PROTOCOL_ERROR}).
 *
 * <p>Retries: recipients with a 4xx answer (and the catch-all probe, if it got one) are asked again after
 * {@link RetryPolicy#delay()} on a new connection, up to {@link RetryPolicy#attempts()} rounds in all; the
 * calling thread sleeps in between, holding no connection. What is still 4xx after the last round is
 * {@code GREYLISTED} (450, 451) or {@code TEMPORARY_FAILURE}.
 *
 * <p>Proxy: with {@link SmtpSettings#proxy()} every connection (probes and catch-all checks) goes through
 * that SOCKS5 proxy, which is given the MX address resolved here; a proxy that cannot be reached or refuses
 * (credentials, its rules, a broken reply) makes the recipients {@code PROXY_FAILED} (it outranks every other
 * failure: nothing is known about them); a proxy that reports the MX unreachable (REP 3 to 6), or does not
 * answer the CONNECT within the connect timeout, counts as an unreachable MX, as without the proxy. A route of
 * {@link SmtpSettings#routes()} for the domain's provider replaces that proxy (another one, or none).
 *
 * <p>Guard: every MX address is put to the {@link MxAddressPolicy} before the first connection; refused
 * addresses are skipped, and when every address of the domain is refused each recipient gets {@code
 * ADDRESS_NOT_ALLOWED} without a connection attempt.
 *
 * <p>STARTTLS: used when enabled and offered, with the JVM's default SSLContext. Many MX hosts present
 * certificates the default trust store rejects; when the handshake fails, the prober reconnects to the same
 * address in plain text (opportunistic TLS, as MTAs do) and does not try TLS on that address again in the
 * call. A 454 to STARTTLS carries on in plain text on the same connection.
 *
 * <p>Limits: at most {@code connectionsPerDomain} connections open to a domain and at most {@code
 * maxRcptPerSecondPerDomain} RCPT TO per second to it, across all concurrent calls on this instance; and
 * besides, whatever the {@link SmtpThrottle} allows (per provider and per domain, shared by a cluster),
 * asked before each connection and for RCPT TO in batches of up to {@value #RCPT_GRANT}. A 421 or a
 * "too many connections" answer is reported to it.
 * Interrupting the calling thread ends the call with a {@link CancellationException} (interrupt flag kept).
 * Logs go to {@link System.Logger} at DEBUG only, with addresses masked and server texts left out (they
 * echo addresses).
 */
public final class SocketSmtpProber implements SmtpProber {

    /** Most RCPT TO asked of the {@link SmtpThrottle} at once, so a shared store is asked once per batch. */
    static final int RCPT_GRANT = 10;
    /** RCPT TO per MAIL FROM transaction before RSET; RFC 5321 has servers accept at least 100. */
    static final int RCPTS_PER_TRANSACTION = 50;
    /** Local part prefix of the catch-all probe address. */
    static final String PROBE_PREFIX = "sluice-probe-";

    private static final System.Logger LOG = System.getLogger(SocketSmtpProber.class.getName());
    private static final char[] PROBE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** Waits between retry rounds; the default sleeps the calling (virtual) thread. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final SmtpSettings settings;
    private final MxAddressPolicy addressPolicy;
    private final DomainLimits limits;
    private final SmtpThrottle throttle;
    private final Sleeper sleeper;

    /** @param addressPolicy which MX addresses may be connected to; asked before every connection */
    public SocketSmtpProber(SmtpSettings settings, MxAddressPolicy addressPolicy) {
        this(settings, addressPolicy, SmtpThrottle.NONE);
    }

    /**
     * @param addressPolicy which MX addresses may be connected to; asked before every connection
     * @param throttle      limits shared beyond this prober (a cluster's), asked besides its own
     */
    public SocketSmtpProber(SmtpSettings settings, MxAddressPolicy addressPolicy, SmtpThrottle throttle) {
        this(settings, addressPolicy, throttle, Thread::sleep);
    }

    /** For tests that want to record retry pauses instead of sleeping. */
    SocketSmtpProber(SmtpSettings settings, MxAddressPolicy addressPolicy, Sleeper sleeper) {
        this(settings, addressPolicy, SmtpThrottle.NONE, sleeper);
    }

    private SocketSmtpProber(SmtpSettings settings, MxAddressPolicy addressPolicy, SmtpThrottle throttle,
            Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.addressPolicy = Objects.requireNonNull(addressPolicy, "addressPolicy");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.limits = new DomainLimits(settings.connectionsPerDomain(), settings.maxRcptPerSecondPerDomain());
    }

    @Override
    public DomainProbe probe(String domain, Provider provider, List<MxHost> mxHosts, List<String> recipients,
            SmtpTranscript transcript) {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mxHosts, "mxHosts");
        Objects.requireNonNull(recipients, "recipients");
        try {
            return new Conversation(domain, provider, mxHosts, recipients, transcript).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("SMTP probe of " + domain + " was interrupted; the domain was not verified");
        }
    }

    /** {@code j***@example.com}: enough to follow a log, not enough to harvest. */
    static String mask(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return address.charAt(0) + "***" + address.substring(at);
    }

    private static String probeAddress(String domain) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder local = new StringBuilder(PROBE_PREFIX);
        for (int i = 0; i < 12; i++) {
            local.append(PROBE_ALPHABET[random.nextInt(PROBE_ALPHABET.length)]);
        }
        return local + "@" + domain;
    }

    private static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "connection closed by the server: " + e.getMessage();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** One MX address to connect to. */
    private record Target(String host, InetAddress address) {
        @Override
        public String toString() {
            return host + "[" + address.getHostAddress() + "]";
        }
    }

    /** A connection that got through the handshake to MAIL FROM. */
    private record Session(SmtpConnection connection, Target target) {
    }

    /** The server answered the handshake with something other than yes. */
    private static final class RefusedException extends Exception {
        private final SmtpReply reply;

        RefusedException(SmtpReply reply) {
            super(reply.display(), null, false, false);
            this.reply = reply;
        }
    }

    /** The TLS handshake after STARTTLS failed. */
    private static final class TlsFailedException extends Exception {
        TlsFailedException(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Everything one {@code probe} call knows: the outcome of all its rounds. */
    private final class Conversation {

        private final String domain;
        /** The domain's provider, or null when unknown. */
        private final Provider provider;
        /** The provider's route, or the default proxy; null to connect directly. */
        private final SmtpProxy proxy;
        private final List<String> recipients;
        private final List<Target> targets = new ArrayList<>();
        /** MX addresses the {@link MxAddressPolicy} refused: never connected to. */
        private int refusedTargets;
        private final String probeAddress;
        /** Where connections are logged, or null when no transcript was asked for. */
        private final SmtpTranscript transcript;
        private final Map<String, RcptResult> results = new LinkedHashMap<>();
        private final Set<Target> tlsFailed = new HashSet<>();
        private int connections;
        private Boolean catchAll;
        /** False while the probe is unasked or got a 4xx: a retry round asks it again. */
        private boolean probeSettled;

        /** RCPT TO the {@link SmtpThrottle} granted and not yet sent. */
        private int rcptsGranted;

        Conversation(String domain, Provider provider, List<MxHost> mxHosts, List<String> recipients,
                SmtpTranscript transcript) {
            this.domain = domain;
            this.provider = provider;
            this.proxy = settings.proxyFor(provider);
            this.recipients = recipients.stream().distinct().toList();
            this.probeAddress = probeAddress(domain);
            this.transcript = transcript;
            if (transcript != null) {
                transcript.probeAddress(probeAddress);
            }
            mxHosts.stream()
                    .sorted(Comparator.comparingInt(MxHost::preference))
                    .forEach(mx -> mx.addresses().forEach(address -> {
                        Target target = new Target(mx.host(), address);
                        if (addressPolicy.allows(mx.host(), address)) {
                            targets.add(target);
                        } else {
                            refusedTargets++;
                            LOG.log(System.Logger.Level.DEBUG, () -> domain + ": " + target + " is not allowed, skipped");
                        }
                    }));
        }

        DomainProbe run() throws InterruptedException {
            if (recipients.isEmpty()) {
                return new DomainProbe(domain, null, Map.of(), 0);
            }
            if (targets.isEmpty() && refusedTargets > 0) {
                // no connection at all: the guard decides before anything is sent to such an address
                Map<String, RcptResult> refused = new LinkedHashMap<>();
                recipients.forEach(address -> refused.put(address, new RcptResult(address,
                        RcptOutcome.ADDRESS_NOT_ALLOWED, 0, "the mail server's address is not allowed")));
                return new DomainProbe(domain, null, Collections.unmodifiableMap(refused), 0);
            }
            List<String> pending = recipients;
            RetryPolicy retry = settings.retry();
            for (int attempt = 1; ; attempt++) {
                boolean lastAttempt = attempt >= retry.attempts();
                List<String> again = new ArrayList<>();
                new Round(pending).run().forEach((address, result) -> {
                    if (!lastAttempt && RcptClassifier.isTransient(result.outcome())) {
                        again.add(address);
                    } else {
                        results.put(address, result);
                    }
                });
                if (again.isEmpty()) {
                    break;
                }
                int next = attempt + 1;
                LOG.log(System.Logger.Level.DEBUG, () -> domain + ": " + again.size() + " recipients got 4xx, retry "
                        + next + "/" + retry.attempts() + " in " + retry.delay().toMillis() + " ms");
                sleeper.sleep(retry.delay());
                pending = again;
            }
            Map<String, RcptResult> ordered = new LinkedHashMap<>();
            recipients.forEach(address -> ordered.put(address, results.get(address)));
            return new DomainProbe(domain, catchAll, Collections.unmodifiableMap(ordered), connections);
        }

        /** One pass over the pending recipients, reconnecting as needed, without waiting. */
        private final class Round {

            private final Deque<String> queue;
            private final Map<String, RcptResult> out = new LinkedHashMap<>();
            private final Set<Target> failedTargets = new HashSet<>();
            private final Set<Target> timedOutTargets = new HashSet<>();
            private boolean probePending = !probeSettled;
            private boolean reconnectedAfterDrop;
            private RcptOutcome failureOutcome = RcptOutcome.UNREACHABLE;
            private int failureCode;
            private String failureText = "no MX address to connect to";

            Round(List<String> pending) {
                this.queue = new ArrayDeque<>(pending);
            }

            Map<String, RcptResult> run() throws InterruptedException {
                while (!queue.isEmpty()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    Session session = connect();
                    if (session == null) {
                        failRemaining(failureOutcome, failureCode, failureText);
                        break;
                    }
                    converse(session);
                }
                return out;
            }

            private Session connect() throws InterruptedException {
                for (Target target : targets) {
                    if (failedTargets.contains(target)) {
                        continue;
                    }
                    Session session = open(target);
                    if (session != null) {
                        return session;
                    }
                    failedTargets.add(target);
                }
                return null;
            }

            private Session open(Target target) throws InterruptedException {
                Runnable release = acquireConnection();
                SmtpTranscript.Connection log = transcript == null ? null
                        : transcript.open(target.host(), target.address(), settings.port(), proxy);
                SmtpConnection connection;
                try {
                    connection = SmtpConnection.open(target.address(), settings.port(), proxy,
                            settings.connectTimeout(), settings.readTimeout(), release, log);
                } catch (ProxyFailedException e) {
                    release.run();
                    if (log != null) {
                        // the exception names the proxy with its user; the transcript shows host:port only
                        log.failed("the SOCKS5 proxy failed or refused the connection");
                    }
                    noteFailure(RcptOutcome.PROXY_FAILED, 0, target + ": " + e.getMessage());
                    return null;
                } catch (IOException e) {
                    release.run();
                    if (log != null) {
                        log.failed("could not connect: " + SmtpTranscript.shown(describe(e), settings.proxy()));
                    }
                    noteFailure(RcptOutcome.UNREACHABLE, 0, target + ": " + describe(e));
                    return null;
                }
                connections++;
                LOG.log(System.Logger.Level.DEBUG, () -> domain + ": connected to " + target);
                try {
                    handshake(connection, target);
                    return new Session(connection, target);
                } catch (TlsFailedException e) {
                    connection.failed("TLS handshake failed; reconnecting in plain text");
                    connection.close();
                    tlsFailed.add(target);
                    LOG.log(System.Logger.Level.DEBUG, () -> domain + ": TLS with " + target + " failed ("
                            + e.getMessage() + "), reconnecting in plain text");
                    return open(target);
                } catch (RefusedException e) {
                    connection.quit();
                    SmtpReply reply = e.reply;
                    noteThrottling(reply);
                    if (reply.isTransient()) {
                        noteFailure(RcptClassifier.classify(reply), reply.code(), target + ": " + reply.fullText());
                    } else {
                        noteFailure(RcptOutcome.PROTOCOL_ERROR, reply.code(), target + ": " + reply.fullText());
                    }
                    return null;
                } catch (SocketTimeoutException e) {
                    // connected but silent: "no reply within the read timeout", not "could not connect"
                    connection.failed("no reply within " + settings.readTimeout().toMillis() + " ms");
                    connection.close();
                    noteFailure(RcptOutcome.TIMEOUT, 0, target + ": no reply within "
                            + settings.readTimeout().toMillis() + " ms");
                    return null;
                } catch (IOException e) {
                    connection.failed(describe(e));
                    connection.close();
                    noteFailure(RcptOutcome.PROTOCOL_ERROR, 0, target + ": " + describe(e));
                    return null;
                }
            }

            /** A slot of this prober's own limits and one of the shared throttle; the action gives both back. */
            private Runnable acquireConnection() throws InterruptedException {
                Runnable local = limits.acquireConnection(domain);
                Runnable shared;
                try {
                    shared = throttle.acquireConnection(provider, domain);
                } catch (InterruptedException | RuntimeException e) {
                    local.run();
                    throw e;
                }
                return () -> {
                    try {
                        shared.run();
                    } finally {
                        local.run();
                    }
                };
            }

            /** A 421, or a text saying there are too many connections, slows the provider down for everyone. */
            private void noteThrottling(SmtpReply reply) {
                String text = reply.fullText().toLowerCase(Locale.ROOT);
                if (reply.code() == 421 || (!reply.isPositive() && text.contains("too many connections"))) {
                    throttle.throttled(provider, domain);
                }
            }

            private void handshake(SmtpConnection connection, Target target)
                    throws IOException, RefusedException, TlsFailedException {
                SmtpReply banner = connection.readReply();
                if (banner.code() != 220) {
                    throw new RefusedException(banner);
                }
                String helo = settings.heloName();
                SmtpReply ehlo = connection.command("EHLO " + helo);
                if (ehlo.isPermanent()) {
                    SmtpReply heloReply = connection.command("HELO " + helo);
                    if (!heloReply.isPositive()) {
                        throw new RefusedException(heloReply);
                    }
                } else if (!ehlo.isPositive()) {
                    throw new RefusedException(ehlo);
                } else if (settings.startTls() && !tlsFailed.contains(target) && ehlo.advertises("STARTTLS")) {
                    SmtpReply startTls = connection.command("STARTTLS");
                    if (startTls.code() == 220) {
                        try {
                            connection.upgradeToTls(target.host(), settings.port());
                        } catch (IOException e) {
                            throw new TlsFailedException(e);
                        }
                        SmtpReply again = connection.command("EHLO " + helo);
                        if (!again.isPositive()) {
                            throw new RefusedException(again);
                        }
                    }
                    // any other answer (454 TLS not available): the session is unchanged, carry on in plain text
                }
                mailFrom(connection);
            }

            private void mailFrom(SmtpConnection connection) throws IOException, RefusedException {
                String sender = settings.mailFrom() == null ? "" : settings.mailFrom();
                SmtpReply reply = connection.command("MAIL FROM:<" + sender + ">");
                if (!reply.isPositive()) {
                    throw new RefusedException(reply);
                }
            }

            private void converse(Session session) throws InterruptedException {
                SmtpConnection connection = session.connection();
                String inFlight = null;
                int asked = 0;
                int inTransaction = 0;
                try {
                    if (probePending) {
                        inFlight = probeAddress;
                        SmtpReply reply = rcpt(connection, probeAddress);
                        inFlight = null;
                        inTransaction++;
                        probePending = false;
                        settleProbe(reply);
                        noteThrottling(reply);
                        if (reply.code() == 421) {
                            return;
                        }
                    }
                    while (!queue.isEmpty() && asked < settings.recipientsPerConnection()) {
                        if (inTransaction >= RCPTS_PER_TRANSACTION) {
                            SmtpReply reset = connection.command("RSET");
                            if (!reset.isPositive()) {
                                throw new RefusedException(reset);
                            }
                            mailFrom(connection);
                            inTransaction = 0;
                        }
                        inFlight = queue.peekFirst();
                        SmtpReply reply = rcpt(connection, inFlight);
                        String address = queue.removeFirst();
                        inFlight = null;
                        asked++;
                        inTransaction++;
                        out.put(address, new RcptResult(address, RcptClassifier.classify(reply), reply.code(),
                                reply.fullText()));
                        noteThrottling(reply);
                        if (reply.code() == 421) {
                            // the server closes the connection after 421; the rest go on a new one
                            return;
                        }
                    }
                    connection.quit();
                } catch (SocketTimeoutException e) {
                    String text = session.target() + ": no reply within " + settings.readTimeout().toMillis() + " ms";
                    connection.failed("no reply within " + settings.readTimeout().toMillis() + " ms");
                    settleInFlight(inFlight, RcptOutcome.TIMEOUT, text);
                    if (!timedOutTargets.add(session.target())) {
                        failRemaining(RcptOutcome.TIMEOUT, 0, text);
                    }
                } catch (IOException e) {
                    String text = session.target() + ": " + describe(e);
                    connection.failed(describe(e));
                    settleInFlight(inFlight, RcptOutcome.PROTOCOL_ERROR, text);
                    if (reconnectedAfterDrop) {
                        failRemaining(RcptOutcome.PROTOCOL_ERROR, 0, text);
                    }
                    reconnectedAfterDrop = true;
                } catch (RefusedException e) {
                    // RSET or MAIL FROM refused in the middle: this server will not go on today
                    SmtpReply reply = e.reply;
                    noteThrottling(reply);
                    RcptOutcome outcome = reply.isTransient() ? RcptClassifier.classify(reply) : RcptOutcome.PROTOCOL_ERROR;
                    failRemaining(outcome, reply.code(), session.target() + ": " + reply.fullText());
                    connection.quit();
                } finally {
                    connection.close();
                }
            }

            private SmtpReply rcpt(SmtpConnection connection, String address) throws IOException, InterruptedException {
                limits.acquireRcpt(domain);
                if (rcptsGranted == 0) {
                    rcptsGranted = throttle.acquireRcpts(provider, domain, Math.min(RCPT_GRANT, queue.size() + 1));
                }
                rcptsGranted--;
                connection.asking(address);
                SmtpReply reply = connection.command("RCPT TO:<" + address + ">");
                LOG.log(System.Logger.Level.DEBUG, () -> domain + ": RCPT " + mask(address) + " -> " + reply.code());
                return reply;
            }

            private void settleProbe(SmtpReply reply) {
                RcptOutcome outcome = RcptClassifier.classify(reply);
                if (outcome == RcptOutcome.ACCEPTED) {
                    catchAll = Boolean.TRUE;
                } else if (reply.isPermanent()) {
                    catchAll = Boolean.FALSE;
                }
                // a 4xx leaves the question open for the next round; anything else settles it as unknown
                probeSettled = !reply.isTransient();
            }

            private void settleInFlight(String address, RcptOutcome outcome, String text) {
                if (address == null) {
                    return;
                }
                if (address.equals(probeAddress)) {
                    probePending = false;
                    probeSettled = true;
                    return;
                }
                queue.remove(address);
                out.put(address, new RcptResult(address, outcome, 0, text));
            }

            private void failRemaining(RcptOutcome outcome, int code, String text) {
                for (String address : queue) {
                    out.put(address, new RcptResult(address, outcome, code, text));
                }
                queue.clear();
                probePending = false;
            }

            /**
             * Keeps the most telling reason no address worked: a 4xx, then a refusal or garbage, then a
             * server that connected but stayed silent, then no connection at all.
             */
            private void noteFailure(RcptOutcome outcome, int code, String text) {
                if (rank(outcome) >= rank(failureOutcome)) {
                    failureOutcome = outcome;
                    failureCode = code;
                    failureText = text;
                }
                LOG.log(System.Logger.Level.DEBUG, () -> domain + ": " + outcome + " " + (code == 0 ? "" : code));
            }

            private static int rank(RcptOutcome outcome) {
                return switch (outcome) {
                    case PROXY_FAILED -> 5;
                    case GREYLISTED, TEMPORARY_FAILURE -> 4;
                    case PROTOCOL_ERROR -> 3;
                    case TIMEOUT -> 2;
                    default -> 1;
                };
            }
        }
    }
}
