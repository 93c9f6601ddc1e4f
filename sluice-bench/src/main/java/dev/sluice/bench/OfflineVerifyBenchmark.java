package dev.sluice.bench;

import dev.sluice.core.verify.EmailVerifier;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.dns.DomainResolver;
import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.dns.MailDomainStatus;
import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The offline stage's throughput on one core: syntax, normalisation, lists (disposable, free, role,
 * typos) and DNS answers already cached, over 1,000,000 generated addresses in chunks of 10,000 (as the
 * job engine hands them out). The score is addresses per second.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar OfflineVerifyBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class OfflineVerifyBenchmark {

    static final int ADDRESSES = 1_000_000;
    static final int CHUNK = 10_000;

    private List<List<String>> chunks;
    private int next;
    private VerificationEngine engine;
    private EmailVerifier syntax;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<String> all = Addresses.generate(ADDRESSES, 42);
        chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        syntax = new EmailVerifier();
        engine = new VerificationEngine(syntax, ShippedDomainLists.shipped(), new CachedDns(), null,
                VerificationCache.none(), new VerificationEngine.Settings(Duration.ofHours(1), Duration.ofHours(1), 64),
                Clock.systemUTC());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /** The whole offline stage through the engine, a chunk at a time. */
    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public List<Verdict> offline_stage_per_address() {
        List<String> chunk = chunks.get(next);
        next = (next + 1) % chunks.size();
        return engine.verifyAll(chunk);
    }

    /** Syntax and normalisation alone. */
    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public List<Verdict> syntax_only_per_address() {
        List<String> chunk = chunks.get(next);
        next = (next + 1) % chunks.size();
        return syntax.verifyAll(chunk);
    }

    /** DNS with every answer already cached: what a warm resolver cache costs. */
    static final class CachedDns implements DomainResolver {
        private final Map<String, CompletableFuture<MailDomain>> answers = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<MailDomain> resolve(String domain) {
            return answers.computeIfAbsent(domain, d -> CompletableFuture.completedFuture(new MailDomain(d,
                    MailDomainStatus.MX, List.of(new MxHost("mx." + d, 10, List.of(InetAddress.getLoopbackAddress()))),
                    Instant.now(), Instant.now().plus(Duration.ofDays(1)))));
        }
    }

    /** Generated addresses: mostly valid over a few hundred domains, some invalid, role and free ones. */
    static final class Addresses {
        private static final String[] FREE = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de"};

        static List<String> generate(int n, long seed) {
            Random random = new Random(seed);
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(100);
                String local = (kind < 3 ? "info" : "user." + Integer.toString(random.nextInt(1_000_000), 36)) + i % 10;
                String domain = kind < 25 ? FREE[random.nextInt(FREE.length)] : "company" + random.nextInt(300) + ".example.com";
                if (kind >= 90) {
                    out.add(kind % 2 == 0 ? local + "@@" + domain : local + "." + "@" + domain);
                } else {
                    out.add(kind % 7 == 0 ? " " + local.toUpperCase() + "@" + domain.toUpperCase() + " " : local + "@" + domain);
                }
            }
            return out;
        }
    }
}
