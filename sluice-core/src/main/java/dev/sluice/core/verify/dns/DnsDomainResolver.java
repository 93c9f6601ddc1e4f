package dev.sluice.core.verify.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;

/**
 * {@link DomainResolver} on dnsjava's {@link LookupSession}: MX, RFC 7505 null MX, the A/AAAA fallback of
 * RFC 5321 section 5.1, and the MX hosts' addresses, all through the same configured servers.
 *
 * <p>How answers map to {@link MailDomainStatus}: NXDOMAIN is {@code NO_SUCH_DOMAIN}; SERVFAIL, REFUSED or a
 * broken answer to the MX question is {@code FAILURE}; no complete answer within
 * {@link DnsSettings#timeout()} (measured over the whole domain, MX and addresses) is {@code TIMEOUT}. When
 * the MX question is answered but a host's address lookup fails, that host keeps an empty address list,
 * unless no host got any address, in which case the domain takes the failure status: we cannot tell where
 * its mail goes.
 *
 * <p>Caching, per domain, against the injected {@link Clock}:
 * <ul>
 *   <li>positive answers ({@code MX}, {@code IMPLICIT_MX}, {@code NULL_MX}) until the smallest TTL of the
 *       records used, at most {@link DnsSettings#maxCacheTtl()}; an MX host without addresses is a negative
 *       answer and also bounds it by {@link DnsSettings#negativeCacheTtl()};</li>
 *   <li>negative answers ({@code NO_SUCH_DOMAIN}, {@code NO_MAIL_SERVER}) for
 *       {@link DnsSettings#negativeCacheTtl()}: dnsjava's lookup API does not hand back the SOA of a negative
 *       answer, so the SOA minimum cannot lower it;</li>
 *   <li>{@code FAILURE} and {@code TIMEOUT} for {@value #FAILURE_CACHE_SECONDS} seconds (at most the negative
 *       TTL), so a job with thousands of addresses at a broken domain waits for one timeout, not thousands,
 *       while a transient fault is forgotten quickly.</li>
 * </ul>
 * dnsjava's own cache is switched off: it runs on the wall clock and its own TTL rules, which would hide
 * queries from ours.
 *
 * <p>Concurrency: at most {@link DnsSettings#maxConcurrentLookups()} domains are resolved at once, the rest
 * wait in a queue without holding threads; concurrent calls for the same domain share one lookup. The
 * returned futures never complete exceptionally.
 */
public final class DnsDomainResolver implements DomainResolver {

    /** How long a {@code FAILURE} or {@code TIMEOUT} answer is kept, in seconds (capped by the negative TTL). */
    public static final long FAILURE_CACHE_SECONDS = 30;

    private static final int SWEEP_EVERY_STORES = 4096;

    private final DnsSettings settings;
    private final Clock clock;
    private final LookupSession session;
    private final LookupQueue queue;
    private final ConcurrentMap<String, MailDomain> cache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<MailDomain>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong stores = new AtomicLong();

    /** A resolver on the system clock. */
    public DnsDomainResolver(DnsSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A resolver whose cache expiry follows {@code clock}. */
    public DnsDomainResolver(DnsSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = LookupSession.builder()
                .resolver(resolverFor(settings))
                .clearCaches()
                .clearSearchPath()
                .build();
        this.queue = new LookupQueue(settings.maxConcurrentLookups(), ForkJoinPool.commonPool());
    }

    static Resolver resolverFor(DnsSettings settings) {
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(settings.timeout());
            resolvers.add(simple);
        }
        ExtendedResolver resolver = new ExtendedResolver(resolvers);
        resolver.setTimeout(settings.timeout());
        return resolver;
    }

    @Override
    public CompletableFuture<MailDomain> resolve(String asciiDomain) {
        String domain = asciiDomain;
        MailDomain cached = fresh(domain);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<MailDomain> shared = new CompletableFuture<>();
        CompletableFuture<MailDomain> running = inFlight.putIfAbsent(domain, shared);
        if (running != null) {
            return running.copy();
        }
        // another caller may have stored an answer between our cache check and taking the in-flight slot
        cached = fresh(domain);
        if (cached != null) {
            inFlight.remove(domain, shared);
            shared.complete(cached);
            return shared.copy();
        }
        queue.submit(() -> lookupNeverThrowing(domain).whenComplete((result, failure) -> {
            MailDomain answer = result != null ? result
                    : problem(domain, MailDomainStatus.FAILURE, clock.instant());
            store(answer);
            inFlight.remove(domain, shared);
            shared.complete(answer);
        }));
        return shared.copy();
    }

    private MailDomain fresh(String domain) {
        MailDomain cached = cache.get(domain);
        return cached != null && clock.instant().isBefore(cached.expiresAt()) ? cached : null;
    }

    private void store(MailDomain answer) {
        if (answer.expiresAt().isAfter(answer.resolvedAt())) {
            cache.put(answer.domain(), answer);
        }
        if (stores.incrementAndGet() % SWEEP_EVERY_STORES == 0) {
            Instant now = clock.instant();
            cache.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        }
    }

    private CompletableFuture<MailDomain> lookupNeverThrowing(String domain) {
        try {
            return lookup(domain);
        } catch (RuntimeException e) {
            return done(problem(domain, MailDomainStatus.FAILURE, clock.instant()));
        }
    }

    /** One domain's lookup; completes normally unless something unforeseen throws. */
    private CompletableFuture<MailDomain> lookup(String domain) {
        Instant resolvedAt = clock.instant();
        Name name;
        try {
            name = Name.fromString(domain + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(problem(domain, MailDomainStatus.FAILURE, resolvedAt));
        }
        return query(name, Type.MX)
                .thenCompose(mx -> fromMxAnswer(domain, name, mx, resolvedAt))
                .orTimeout(settings.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(failure -> problem(domain,
                        DnsAnswer.isTimeout(failure) ? MailDomainStatus.TIMEOUT : MailDomainStatus.FAILURE,
                        resolvedAt));
    }

    private CompletableFuture<MailDomain> fromMxAnswer(String domain, Name name, DnsAnswer mx, Instant resolvedAt) {
        switch (mx.outcome()) {
            case NXDOMAIN:
                return done(negative(domain, MailDomainStatus.NO_SUCH_DOMAIN, resolvedAt));
            case FAILURE:
                return done(problem(domain, MailDomainStatus.FAILURE, resolvedAt));
            case TIMEOUT:
                return done(problem(domain, MailDomainStatus.TIMEOUT, resolvedAt));
            default:
                break;
        }
        List<MXRecord> records = mx.records().stream().map(MXRecord.class::cast).toList();
        if (records.isEmpty()) {
            return implicitMx(domain, name, resolvedAt);
        }
        if (records.size() == 1 && records.get(0).getPriority() == 0
                && records.get(0).getTarget().equals(Name.root)) {
            Duration ttl = min(Duration.ofSeconds(records.get(0).getTTL()), settings.maxCacheTtl());
            return done(new MailDomain(domain, MailDomainStatus.NULL_MX, List.of(), resolvedAt,
                    resolvedAt.plus(ttl)));
        }
        List<MXRecord> sorted = records.stream()
                .filter(r -> !r.getTarget().equals(Name.root)) // a "." beside real hosts is no host
                .sorted(Comparator.comparingInt(MXRecord::getPriority)) // stable: ties keep DNS order
                .toList();
        List<CompletableFuture<HostAddresses>> lookups = sorted.stream()
                .map(r -> addresses(r.getTarget()))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Duration ttl = settings.maxCacheTtl();
            for (MXRecord r : sorted) {
                ttl = min(ttl, Duration.ofSeconds(r.getTTL()));
            }
            List<MxHost> hosts = new ArrayList<>();
            boolean anyAddress = false;
            MailDomainStatus worstProblem = null;
            for (int i = 0; i < sorted.size(); i++) {
                HostAddresses found = lookups.get(i).join();
                hosts.add(new MxHost(hostName(sorted.get(i).getTarget()), sorted.get(i).getPriority(),
                        found.addresses()));
                ttl = min(ttl, found.ttl());
                anyAddress |= !found.addresses().isEmpty();
                worstProblem = worse(worstProblem, found.problem());
            }
            if (!anyAddress && worstProblem != null) {
                return problem(domain, worstProblem, resolvedAt);
            }
            return new MailDomain(domain, MailDomainStatus.MX, hosts, resolvedAt, resolvedAt.plus(ttl));
        });
    }

    private CompletableFuture<MailDomain> implicitMx(String domain, Name name, Instant resolvedAt) {
        return addresses(name).thenApply(found -> {
            if (!found.addresses().isEmpty()) {
                return new MailDomain(domain, MailDomainStatus.IMPLICIT_MX,
                        List.of(new MxHost(domain, 0, found.addresses())), resolvedAt,
                        resolvedAt.plus(min(found.ttl(), settings.maxCacheTtl())));
            }
            if (found.problem() != null) {
                return problem(domain, found.problem(), resolvedAt);
            }
            return negative(domain, MailDomainStatus.NO_MAIL_SERVER, resolvedAt);
        });
    }

    /**
     * A name's IPv4 then IPv6 addresses.
     *
     * @param ttl     the smallest TTL of the records found, the failure TTL when a family's lookup failed,
     *                the negative TTL when the name has no address
     * @param problem TIMEOUT or FAILURE when a family's lookup failed, else null
     */
    private record HostAddresses(List<InetAddress> addresses, Duration ttl, MailDomainStatus problem) {
    }

    private CompletableFuture<HostAddresses> addresses(Name host) {
        CompletableFuture<DnsAnswer> v4 = query(host, Type.A);
        CompletableFuture<DnsAnswer> v6 = query(host, Type.AAAA);
        return v4.thenCombine(v6, (a, aaaa) -> {
            List<InetAddress> addresses = new ArrayList<>();
            Duration ttl = settings.maxCacheTtl();
            MailDomainStatus problem = null;
            for (DnsAnswer answer : List.of(a, aaaa)) {
                if (answer.isProblem()) {
                    problem = worse(problem, answer.outcome() == DnsAnswer.Outcome.TIMEOUT
                            ? MailDomainStatus.TIMEOUT : MailDomainStatus.FAILURE);
                    ttl = min(ttl, failureTtl());
                }
                for (Record r : answer.records()) {
                    addresses.add(r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress());
                    ttl = min(ttl, Duration.ofSeconds(r.getTTL()));
                }
            }
            // one family having no records is normal; only a name with no address at all is a negative answer
            if (addresses.isEmpty() && problem == null) {
                ttl = min(ttl, settings.negativeCacheTtl());
            }
            return new HostAddresses(addresses, ttl, problem);
        });
    }

    private CompletableFuture<DnsAnswer> query(Name name, int type) {
        try {
            return session.lookupAsync(name, type).toCompletableFuture()
                    .handle((result, failure) -> failure == null
                            ? DnsAnswer.of(result.getRecords(), type)
                            : DnsAnswer.failed(failure));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(e));
        }
    }

    private MailDomain negative(String domain, MailDomainStatus status, Instant resolvedAt) {
        return new MailDomain(domain, status, List.of(), resolvedAt, resolvedAt.plus(settings.negativeCacheTtl()));
    }

    private MailDomain problem(String domain, MailDomainStatus status, Instant resolvedAt) {
        return new MailDomain(domain, status, List.of(), resolvedAt, resolvedAt.plus(failureTtl()));
    }

    private Duration failureTtl() {
        return min(Duration.ofSeconds(FAILURE_CACHE_SECONDS), settings.negativeCacheTtl());
    }

    /** TIMEOUT wins over FAILURE: it is the one worth retrying with a longer timeout. */
    private static MailDomainStatus worse(MailDomainStatus current, MailDomainStatus next) {
        if (current == MailDomainStatus.TIMEOUT || next == null) {
            return current;
        }
        return next;
    }

    private static String hostName(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static CompletableFuture<MailDomain> done(MailDomain answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
