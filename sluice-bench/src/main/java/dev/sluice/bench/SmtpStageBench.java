package dev.sluice.bench;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSocks5Server;
import dev.sluice.core.verify.EmailVerifier;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.core.verify.dns.DnsDomainResolver;
import dev.sluice.core.verify.dns.DnsSettings;
import dev.sluice.core.verify.lists.DomainLists;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import dev.sluice.core.verify.smtp.RetryPolicy;
import dev.sluice.core.verify.smtp.SmtpProxy;
import dev.sluice.core.verify.smtp.SmtpSettings;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.SocketSmtpProber;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SMTP stage end to end through {@link VerificationEngine}, against real SMTP servers on loopback that
 * wait {@code --delay-ms} before every reply (banner included), as remote MX hosts do. Two runs over the
 * same addresses in one process:
 *
 * <ul>
 *   <li>A, connection reuse: up to 1000 recipients per connection, so one conversation per domain;</li>
 *   <li>B, one connection per address: {@code recipientsPerConnection = 1}, everything else equal;</li>
 *   <li>C, with {@code --proxy 1} only: A's settings, every connection through a {@link TestSocks5Server} on
 *       loopback (username/password), compared with A.</li>
 * </ul>
 *
 * <p>Setup: one {@link DnsResponder}; domains {@code d000.bench.example.com}... each with one MX spread over
 * {@code 127.0.0.2}..{@code 127.0.0.(1+servers)}, one {@link TestSmtpServer} per address on one shared port
 * knowing about 80% of the addresses as mailboxes (the rest get 550 5.1.1). Each run gets a fresh resolver,
 * prober and engine (no verification cache), so both pay the same DNS cost. Every verdict is checked against
 * the mailbox set (valid when known, invalid otherwise); any mismatch makes the exit status 1.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.SmtpStageBench \
 *     [--addresses 20000] [--domains 200] [--delay-ms 20] [--concurrency 64] [--servers 4] [--valid-percent 80] \
 *     [--proxy 0]</pre>
 *
 * Linux routes all of 127/8 to loopback; macOS needs {@code ifconfig lo0 alias 127.0.0.x} for each server.
 */
public final class SmtpStageBench {

    private static final String DOMAIN_SUFFIX = ".bench.example.com";

    private SmtpStageBench() {
    }

    /** Command line options, with the defaults the verification issue asks for. */
    record Options(int addresses, int domains, int delayMs, int concurrency, int servers, int validPercent,
            int connectionsPerDomain, int proxy) {

        static Options parse(String[] args) {
            Map<String, Integer> values = new TreeMap<>(Map.of("--addresses", 20_000, "--domains", 200,
                    "--delay-ms", 20, "--concurrency", 64, "--servers", 4, "--valid-percent", 80,
                    "--connections-per-domain", 2, "--proxy", 0));
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                if (key.equals("--help") || key.equals("-h")) {
                    throw new IllegalArgumentException("usage");
                }
                if (!values.containsKey(key) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + key);
                }
                try {
                    values.put(key, Integer.parseInt(args[++i]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " needs a whole number, was '" + args[i] + "'");
                }
            }
            Options o = new Options(values.get("--addresses"), values.get("--domains"), values.get("--delay-ms"),
                    values.get("--concurrency"), values.get("--servers"), values.get("--valid-percent"),
                    values.get("--connections-per-domain"), values.get("--proxy"));
            if (o.addresses < 1 || o.domains < 1 || o.domains > o.addresses || o.delayMs < 0 || o.concurrency < 1
                    || o.servers < 1 || o.servers > 250 || o.validPercent < 0 || o.validPercent > 100
                    || o.connectionsPerDomain < 1 || o.proxy < 0 || o.proxy > 1) {
                throw new IllegalArgumentException("out of range: " + o
                        + " (need 1 <= domains <= addresses, 1 <= servers <= 250, 0 <= valid-percent <= 100)");
            }
            return o;
        }
    }

    /** What one run measured. */
    record Result(String label, int addresses, int domains, double seconds, int connections, int rcpts,
            Map<VerdictStatus, Integer> statuses, Map<Reason, Integer> reasons, int mismatches) {

        double perSecond() {
            return addresses / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().equals("usage") ? "" : "error: " + e.getMessage());
            System.err.println("usage: SmtpStageBench [--addresses 20000] [--domains 200] [--delay-ms 20]"
                    + " [--concurrency 64] [--servers 4] [--valid-percent 80] [--connections-per-domain 2]"
                    + " [--proxy 0|1]");
            System.exit(2);
            return;
        }
        System.exit(run(options) ? 0 : 1);
    }

    static boolean run(Options o) throws Exception {
        List<String> domains = new ArrayList<>(o.domains);
        int width = Math.max(3, String.valueOf(o.domains - 1).length());
        for (int d = 0; d < o.domains; d++) {
            domains.add(String.format(Locale.ROOT, "d%0" + width + "d", d) + DOMAIN_SUFFIX);
        }
        // addresses interleaved over the domains (an uploaded list is rarely sorted by domain)
        List<String> addresses = new ArrayList<>(o.addresses);
        Set<String> mailboxes = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < o.addresses; i++) {
            String address = "user" + (i / o.domains) + "." + Integer.toString(random.nextInt(1 << 20), 36) + "@"
                    + domains.get(i % o.domains);
            addresses.add(address);
            if (random.nextInt(100) < o.validPercent) {
                mailboxes.add(address);
            }
        }

        TestSmtpServer.Behavior behavior = TestSmtpServer.Behavior.onlyMailboxes(mailboxes.toArray(String[]::new))
                .replyDelay(Duration.ofMillis(o.delayMs));
        List<TestSmtpServer> servers = new ArrayList<>();
        try (DnsResponder dns = DnsResponder.start()) {
            servers.add(TestSmtpServer.start(TestSmtpServer.loopback(2), 0, behavior));
            for (int s = 1; s < o.servers; s++) {
                servers.add(servers.get(0).startSibling(TestSmtpServer.loopback(2 + s), behavior));
            }
            int port = servers.get(0).port();
            for (int s = 0; s < o.servers; s++) {
                dns.a("mx" + s + DOMAIN_SUFFIX, "127.0.0." + (2 + s));
            }
            for (int d = 0; d < o.domains; d++) {
                dns.mx(domains.get(d), 10, "mx" + (d % o.servers) + DOMAIN_SUFFIX);
            }
            DnsSettings dnsSettings = DnsSettings.defaults().withServers(List.of(dns.address()))
                    .withMaxConcurrentLookups(Math.max(DnsSettings.DEFAULT_MAX_CONCURRENT_LOOKUPS, o.concurrency));
            EmailVerifier syntax = new EmailVerifier();
            ShippedDomainLists lists = ShippedDomainLists.shipped();

            System.out.printf(Locale.ROOT, "SMTP stage bench: %d addresses over %d domains (%d mailboxes known, %d%%),"
                    + " %d SMTP servers on 127.0.0.2..127.0.0.%d:%d, %d ms before every reply, %d domains at once,"
                    + " %d connections per domain; JDK %s, %d CPUs%n",
                    addresses.size(), o.domains, mailboxes.size(), o.validPercent, o.servers, 1 + o.servers, port,
                    o.delayMs, o.concurrency, o.connectionsPerDomain, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());

            // a small untimed warm-up (one domain, both settings) so class loading and JIT are not in run A's time
            List<String> warmUp = addresses.stream().filter(a -> a.endsWith("@" + domains.get(0))).limit(10).toList();
            measure("warm-up", warmUp, 1, settings(port, 1000, o), syntax, lists, dnsSettings, o, servers, mailboxes);
            measure("warm-up", warmUp, 1, settings(port, 1, o), syntax, lists, dnsSettings, o, servers, mailboxes);

            Result a = measure("A reuse (1000 rcpt/conn)", addresses, o.domains, settings(port, 1000, o), syntax, lists,
                    dnsSettings, o, servers, mailboxes);
            print(a);
            Result b = measure("B one conn/address (1 rcpt/conn)", addresses, o.domains, settings(port, 1, o), syntax,
                    lists, dnsSettings, o, servers, mailboxes);
            print(b);

            System.out.printf(Locale.ROOT, "comparison: reuse is %.1fx faster (%.2f s vs %.2f s, %.0f vs %.0f addresses/s)"
                    + " and opens %.1fx fewer SMTP connections (%d vs %d)%n",
                    b.seconds / a.seconds, a.seconds, b.seconds, a.perSecond(), b.perSecond(),
                    (double) b.connections / Math.max(1, a.connections), a.connections, b.connections);
            boolean ok = a.mismatches == 0 && b.mismatches == 0;
            if (o.proxy == 1) {
                try (TestSocks5Server proxy = TestSocks5Server.start("bench", "bench-password")) {
                    SmtpProxy via = SmtpProxy.parse("socks5://bench:bench-password@127.0.0.1:" + proxy.port());
                    int fromProxyBefore = servers.stream()
                            .mapToInt(s -> s.connectionsFrom(proxy.egressAddress())).sum();
                    Result c = measure("C reuse through SOCKS5", addresses, o.domains, settings(port, 1000, o, via),
                            syntax, lists, dnsSettings, o, servers, mailboxes);
                    print(c);
                    int fromProxy = servers.stream().mapToInt(s -> s.connectionsFrom(proxy.egressAddress())).sum()
                            - fromProxyBefore;
                    System.out.printf(Locale.ROOT, "comparison: through the SOCKS5 proxy %.2fx the elapsed time of"
                            + " direct (%.2f s vs %.2f s); SMTP connections %d vs %d, proxy CONNECTs %d, connections"
                            + " the servers saw from the proxy %d%n", c.seconds / a.seconds, c.seconds, a.seconds,
                            c.connections, a.connections, proxy.connects(), fromProxy);
                    ok &= c.mismatches == 0 && fromProxy == c.connections;
                }
            }
            System.out.println(ok ? "verdicts: all match the mailbox set in both runs"
                    : "verdicts: MISMATCHES (A " + a.mismatches + ", B " + b.mismatches + ")");
            return ok;
        } finally {
            for (TestSmtpServer server : servers) {
                server.close();
            }
        }
    }

    private static SmtpSettings settings(int port, int recipientsPerConnection, Options o) {
        return settings(port, recipientsPerConnection, o, null);
    }

    private static SmtpSettings settings(int port, int recipientsPerConnection, Options o, SmtpProxy proxy) {
        return new SmtpSettings(port, "bench.sluice.test", "", Duration.ofSeconds(5), Duration.ofSeconds(5), false,
                recipientsPerConnection, o.connectionsPerDomain, 0, new RetryPolicy(1, Duration.ZERO), proxy);
    }

    private static Result measure(String label, List<String> addresses, int domains, SmtpSettings smtp,
            EmailVerifier syntax, DomainLists lists, DnsSettings dnsSettings, Options o, List<TestSmtpServer> servers,
            Set<String> mailboxes) {
        int connectionsBefore = servers.stream().mapToInt(TestSmtpServer::connections).sum();
        int rcptsBefore = servers.stream().mapToInt(TestSmtpServer::rcptCommands).sum();
        List<Verdict> verdicts;
        long start;
        long end;
        try (VerificationEngine engine = new VerificationEngine(syntax, lists,
                new DnsDomainResolver(dnsSettings, Clock.systemUTC()), new SocketSmtpProber(smtp, MxAddressPolicy.anyAddress()),
                VerificationCache.none(), new VerificationEngine.Settings(Duration.ofHours(1), Duration.ofHours(1),
                        o.concurrency), Clock.systemUTC())) {
            start = System.nanoTime();
            verdicts = engine.verifyAll(addresses);
            end = System.nanoTime();
        }
        int connections = servers.stream().mapToInt(TestSmtpServer::connections).sum() - connectionsBefore;
        int rcpts = servers.stream().mapToInt(TestSmtpServer::rcptCommands).sum() - rcptsBefore;

        Map<VerdictStatus, Integer> statuses = new EnumMap<>(VerdictStatus.class);
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int mismatches = 0;
        for (int i = 0; i < addresses.size(); i++) {
            Verdict verdict = verdicts.get(i);
            statuses.merge(verdict.status(), 1, Integer::sum);
            reasons.merge(verdict.reason(), 1, Integer::sum);
            boolean known = mailboxes.contains(addresses.get(i));
            boolean right = known ? verdict.status() == VerdictStatus.VALID && verdict.reason() == Reason.ACCEPTED
                    : verdict.status() == VerdictStatus.INVALID && verdict.reason() == Reason.MAILBOX_NOT_FOUND;
            if (!right) {
                if (mismatches < 5) {
                    System.out.printf(Locale.ROOT, "  %s: MISMATCH %s (mailbox %s) -> %s/%s%n", label,
                            addresses.get(i), known ? "exists" : "unknown", verdict.status().wire(),
                            verdict.reason().code());
                }
                mismatches++;
            }
        }
        return new Result(label, addresses.size(), domains, (end - start) / 1e9, connections, rcpts, statuses, reasons,
                mismatches);
    }

    private static void print(Result r) {
        StringBuilder counts = new StringBuilder();
        for (VerdictStatus status : VerdictStatus.values()) {
            counts.append(counts.isEmpty() ? "" : " ").append(status.wire()).append('=')
                    .append(r.statuses.getOrDefault(status, 0));
        }
        StringBuilder reasons = new StringBuilder();
        r.reasons.forEach((reason, n) -> reasons.append(reasons.isEmpty() ? "" : " ").append(reason.code()).append('=')
                .append(n));
        System.out.printf(Locale.ROOT, "run %-33s addresses=%d domains=%d elapsed=%.2f s rate=%.0f addresses/s"
                + " smtp_connections=%d rcpt_commands=%d verdicts: %s (reasons: %s) mismatches=%d%n",
                r.label + ":", r.addresses, r.domains, r.seconds, r.perSecond(), r.connections, r.rcpts, counts,
                reasons, r.mismatches);
    }
}
