package dev.sluice.server.verify;

import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.verify.providers.ProviderTable;
import dev.sluice.core.verify.smtp.SmtpThrottle;
import dev.sluice.server.verify.ThrottleStore.Kind;
import dev.sluice.server.verify.ThrottleStore.ProviderState;
import dev.sluice.server.verify.ThrottleStore.ScopeLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP throttle of the whole cluster, kept in the store ({@link ThrottleStore}): per provider (its limits
 * in the provider table) and per domain ({@code sluice.verify.smtp.connections-per-domain} and {@code
 * rcpt-per-second-per-domain}), connections open at once and RCPT TO per minute hold for every node together.
 * A 421 or "too many connections" answer halves the provider's limits (a domain's, for a provider without
 * limits) for {@code sluice.verify.throttle.backoff} on every node, and counts in the metric
 * {@value #THROTTLED}. Only SMTP connections touch the store: the offline and DNS stages never do.
 *
 * <p>A scope without a free connection is asked again every {@code poll}; one whose RCPT TO minute is used up,
 * at the next minute. Leases are renewed every third of {@code lease-ttl} while this node holds any, so a node
 * that dies frees its slots within {@code lease-ttl}.
 */
public final class ClusterThrottle implements SmtpThrottle, AutoCloseable {

    /** SMTP answers that slowed a provider down (421, "too many connections"), tagged {@code provider}. */
    public static final String THROTTLED = "sluice.smtp.throttled";

    private static final Logger log = LoggerFactory.getLogger(ClusterThrottle.class);

    /** Domain scopes unused this long are deleted. */
    private static final Duration IDLE_SCOPE = Duration.ofHours(1);

    private final ThrottleStore store;
    private final ProviderTable providers;
    private final VerifyProperties.Throttle settings;
    private final int connectionsPerDomain;
    private final int rcptPerMinutePerDomain;
    private final String node;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AtomicInteger held = new AtomicInteger();
    private final ScheduledExecutorService renewal;

    /**
     * @param connectionsPerDomain   connections open at once to one domain across the cluster
     * @param rcptPerSecondPerDomain RCPT TO per second to one domain across the cluster; 0 for no limit
     */
    public ClusterThrottle(ThrottleStore store, ProviderTable providers, VerifyProperties.Throttle settings,
            int connectionsPerDomain, double rcptPerSecondPerDomain, String node, Clock clock, MeterRegistry meters) {
        this.store = Objects.requireNonNull(store, "store");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.connectionsPerDomain = connectionsPerDomain;
        this.rcptPerMinutePerDomain = rcptPerSecondPerDomain > 0 ? (int) Math.max(1, Math.round(rcptPerSecondPerDomain
                * 60)) : 0;
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-smtp-throttle-leases");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, settings.leaseTtl().toMillis() / 3);
        renewal.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Runnable acquireConnection(Provider provider, String domain) throws InterruptedException {
        List<ScopeLimit> scopes = scopes(provider, domain);
        String id = UUID.randomUUID().toString();
        String providerName = provider == null ? null : provider.name();
        while (true) {
            Instant now = clock.instant();
            if (store.tryLease(id, scopes, providerName, domain, node, now, now.plus(settings.leaseTtl()))) {
                held.incrementAndGet();
                break;
            }
            Thread.sleep(settings.poll());
        }
        boolean[] released = {false};
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    try {
                        store.release(id);
                    } finally {
                        held.decrementAndGet();
                    }
                }
            }
        };
    }

    @Override
    public int acquireRcpts(Provider provider, String domain, int wanted) throws InterruptedException {
        List<ScopeLimit> scopes = scopes(provider, domain).stream().filter(s -> s.rcptPerMinute() > 0).toList();
        if (scopes.isEmpty()) {
            return wanted;
        }
        while (true) {
            Instant now = clock.instant();
            int granted = store.tryRcpts(scopes, wanted, now);
            if (granted > 0) {
                return granted;
            }
            // the window is used up: nothing changes before the next one (or a backoff's end) starts
            long window = ThrottleStore.WINDOW.toMillis();
            Thread.sleep(Math.max(settings.poll().toMillis(), window - Math.floorMod(now.toEpochMilli(), window)));
        }
    }

    @Override
    public void throttled(Provider provider, String domain) {
        boolean providerWide = provider != null && (provider.maxConnections() > 0 || provider.rcptPerMinute() > 0);
        Instant until = clock.instant().plus(settings.backoff());
        if (providerWide) {
            store.backoff(Kind.PROVIDER, provider.name(), until);
        } else {
            store.backoff(Kind.DOMAIN, domain, until);
        }
        String tag = provider == null ? ProviderTable.OTHER : provider.name();
        Counter.builder(THROTTLED).tag("provider", tag)
                .description("SMTP answers (421, too many connections) that halved a provider's limits for a while")
                .register(meters).increment();
        log.info("SMTP throttled by {} ({}): its limits are halved until {}", tag, providerWide ? "provider" : domain,
                until);
    }

    /**
     * Each provider's throttle as it stands across the cluster, by name: every provider of the table with a
     * limit, and any other one holding a connection or a backoff.
     */
    public Map<String, ProviderThrottle> current() {
        Instant now = clock.instant();
        Map<String, ProviderState> states = store.providers(now);
        Map<String, ProviderThrottle> current = new TreeMap<>();
        for (Provider provider : providers.providers()) {
            ProviderState state = states.get(provider.name());
            boolean limited = provider.maxConnections() > 0 || provider.rcptPerMinute() > 0;
            if (!limited && state == null) {
                continue;
            }
            Instant backoff = state == null ? null : state.backoffUntil();
            current.put(provider.name(), new ProviderThrottle(halved(provider.maxConnections(), backoff),
                    halved(provider.rcptPerMinute(), backoff), state == null ? 0 : state.inUse(), backoff));
        }
        return current;
    }

    /**
     * One provider's cluster-wide throttle.
     *
     * @param connectionLimit connections allowed at once now (halved in a backoff); 0 for no limit
     * @param rcptPerMinute   RCPT TO allowed per minute now (halved in a backoff); 0 for no limit
     * @param inUse           connections open to the provider across the cluster
     * @param backoffUntil    when the halved limits end, or null when no backoff runs
     */
    public record ProviderThrottle(int connectionLimit, int rcptPerMinute, int inUse, Instant backoffUntil) {
    }

    private static int halved(int limit, Instant backoff) {
        return limit == 0 || backoff == null ? limit : Math.max(1, limit / 2);
    }

    private List<ScopeLimit> scopes(Provider provider, String domain) {
        List<ScopeLimit> scopes = new ArrayList<>(2);
        if (provider != null && (provider.maxConnections() > 0 || provider.rcptPerMinute() > 0)) {
            scopes.add(new ScopeLimit(Kind.PROVIDER, provider.name(), provider.maxConnections(),
                    provider.rcptPerMinute()));
        }
        scopes.add(new ScopeLimit(Kind.DOMAIN, domain, connectionsPerDomain, rcptPerMinutePerDomain));
        return scopes;
    }

    private void renew() {
        if (held.get() == 0) {
            // no connection open here: nothing to renew, and no reason to touch the store
            return;
        }
        try {
            Instant now = clock.instant();
            store.renew(node, now.plus(settings.leaseTtl()));
            store.purge(now, now.minus(IDLE_SCOPE));
        } catch (RuntimeException e) {
            log.warn("renewing SMTP throttle leases failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        renewal.shutdownNow();
    }
}
