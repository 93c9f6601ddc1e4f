package dev.sluice.core.verify;

import dev.sluice.core.verify.dns.DomainResolver;
import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.dns.MailDomainStatus;
import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.lists.DomainLists;
import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.verify.providers.ProviderTable;
import dev.sluice.core.verify.smtp.DomainProbe;
import dev.sluice.core.verify.smtp.RcptResult;
import dev.sluice.core.verify.smtp.SmtpProber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The whole verification pipeline over a chunk, stopping per address at the first definitive answer:
 * syntax and lists (offline), the cross-job cache, DNS per domain, SMTP per domain, then
 * {@link VerdictPolicy}. A deliverable domain's provider comes from its MX hosts ({@link ProviderTable}).
 * Addresses are grouped by domain: one DNS answer and one SMTP conversation serve every address of a domain, and domains are worked on concurrently (virtual threads, at most
 * {@code maxConcurrentDomains} at once across all chunks on this engine). A slow or greylisting domain
 * holds only its own addresses.
 *
 * <p>With no resolver the pipeline stops after the offline stage; with no prober it stops after DNS.
 *
 * <p>Before each domain's network stages the engine asks its {@link NetworkHealth} gate: while the resolver is
 * unreliable DNS is not asked, while the SMTP egress is blocked no mail server is; the evidence says why, and
 * {@link VerdictPolicy} makes such addresses {@code unknown} (never cached, so they are asked again later).
 */
public final class VerificationEngine implements ChunkVerifier, AutoCloseable {

    /**
     * @param verdictTtl           how long a definitive verdict is reused across jobs
     * @param domainTtl            how long domain facts (DNS answer, catch-all) are reused at most
     * @param maxConcurrentDomains domains verified at once on this engine
     */
    public record Settings(Duration verdictTtl, Duration domainTtl, int maxConcurrentDomains) {
        public Settings {
            if (maxConcurrentDomains < 1) {
                throw new IllegalArgumentException("maxConcurrentDomains must be at least 1, was " + maxConcurrentDomains);
            }
        }
    }

    private final EmailVerifier syntax;
    private final DomainLists lists;
    private final DomainResolver resolver;
    private final SmtpProber prober;
    private final ProviderTable providers;
    private final VerificationCache cache;
    private final Settings settings;
    private final Clock clock;
    private final NetworkHealth health;
    private final Semaphore domainSlots;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param resolver null to stop after the offline stage
     * @param prober   null to stop after DNS
     */
    public VerificationEngine(EmailVerifier syntax, DomainLists lists, DomainResolver resolver, SmtpProber prober,
            VerificationCache cache, Settings settings, Clock clock) {
        this(syntax, lists, resolver, prober, ProviderTable.shipped(), cache, settings, clock,
                NetworkHealth.assumeHealthy());
    }

    /**
     * @param resolver  null to stop after the offline stage
     * @param prober    null to stop after DNS
     * @param providers names each deliverable domain's provider
     * @param health    the gate asked before each domain's network stages
     */
    public VerificationEngine(EmailVerifier syntax, DomainLists lists, DomainResolver resolver, SmtpProber prober,
            ProviderTable providers, VerificationCache cache, Settings settings, Clock clock, NetworkHealth health) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.health = Objects.requireNonNull(health, "health");
        this.syntax = Objects.requireNonNull(syntax, "syntax");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.resolver = resolver;
        this.prober = resolver == null ? null : prober;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.domainSlots = new Semaphore(settings.maxConcurrentDomains(), true);
    }

    /** Verifies with the verdicts of the {@link VerificationCache#SHARED} scope. */
    @Override
    public List<Verdict> verifyAll(List<String> cells) {
        return verifyAll(cells, VerificationCache.SHARED);
    }

    /**
     * Verifies reading and keeping cached verdicts in {@code cacheScope} only: a verdict found there is
     * marked cached, one put in another scope is neither found nor marked.
     */
    public List<Verdict> verifyAll(List<String> cells, String cacheScope) {
        return verifyAll(cells, cacheScope, AccountRules.none(), null);
    }

    /**
     * Verifies as {@link #verifyAll(List, String)}, deciding first by the account's {@code rules}: an address,
     * domain or top-level domain rule before the cache and the network, a mail server rule once DNS answered
     * (before SMTP, and over a cached verdict). A verdict given by a rule is never put in the cache.
     */
    public List<Verdict> verifyAll(List<String> cells, String cacheScope, AccountRules rules) {
        return verifyAll(cells, cacheScope, rules, null);
    }

    /**
     * Verifies as {@link #verifyAll(List, String)} does; with {@code transcripts} (null for none) every SMTP
     * conversation held is written to it, and domains the cache knew to accept any address are noted there.
     */
    public List<Verdict> verifyAll(List<String> cells, String cacheScope, Transcripts transcripts) {
        return verifyAll(cells, cacheScope, AccountRules.none(), transcripts);
    }

    /**
     * Verifies with both the account's {@code rules} ({@link #verifyAll(List, String, AccountRules)}) and
     * {@code transcripts} ({@link #verifyAll(List, String, Transcripts)}; null for none).
     */
    public List<Verdict> verifyAll(List<String> cells, String cacheScope, AccountRules rules,
            Transcripts transcripts) {
        return run(cells, cacheScope, rules, transcripts, null);
    }

    /**
     * Every stage but SMTP, for a quote before a verify: answers per cell the verdict a verify would give without
     * talking to a mail server (syntax, lists, {@code rules}, the cache, DNS), or the provider of the mail servers
     * SMTP would have to ask. Puts no verdict in the cache (domain facts learned from DNS are kept).
     */
    public List<Precheck> precheckAll(List<String> cells, String cacheScope, AccountRules rules) {
        Map<String, String> smtpProviders = new ConcurrentHashMap<>();
        List<Verdict> verdicts = run(cells, cacheScope, rules, null, smtpProviders);
        List<Precheck> out = new ArrayList<>(cells.size());
        for (Verdict verdict : verdicts) {
            String provider = verdict.normalized() == null ? null : smtpProviders.get(verdict.normalized());
            out.add(provider != null ? new Precheck(null, provider) : new Precheck(verdict, null));
        }
        return out;
    }

    /**
     * The pipeline; with {@code smtpProviders} not null, SMTP is not run: an address it would ask is put there
     * with the provider of the domain's mail servers and keeps its offline verdict, and no verdict is cached.
     */
    private List<Verdict> run(List<String> cells, String cacheScope, AccountRules rules, Transcripts transcripts,
            Map<String, String> smtpProviders) {
        Objects.requireNonNull(cacheScope, "cacheScope");
        Objects.requireNonNull(rules, "rules");
        Verdict[] out = new Verdict[cells.size()];
        // normalised address -> (its offline evidence, the rows holding it)
        Map<String, Pending> pending = new LinkedHashMap<>();
        Map<String, DomainFlags> domains = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            Verdict offline = syntax.verify(cells.get(i));
            if (offline.status() == VerdictStatus.INVALID) {
                out[i] = offline;
                continue;
            }
            Pending known = pending.get(offline.normalized());
            if (known != null) {
                known.rows.add(i);
                continue;
            }
            Pending fresh = offlineEvidence(offline, domains);
            AccountRules.Rule rule = rules.forAddress(offline.normalized());
            if (rule != null) {
                out[i] = VerdictPolicy.decide(fresh.evidence(null, null, null, null, NetworkState.HEALTHY, rule));
                continue;
            }
            if (resolver == null || fresh.disposable) {
                out[i] = VerdictPolicy.decide(fresh.evidence(null, null, null, null, NetworkState.HEALTHY));
                continue;
            }
            fresh.rows.add(i);
            pending.put(offline.normalized(), fresh);
        }
        if (!pending.isEmpty()) {
            Map<String, Verdict> decided = network(pending, cacheScope, rules, transcripts, smtpProviders);
            for (Map.Entry<String, Pending> entry : pending.entrySet()) {
                Verdict verdict = decided.get(entry.getKey());
                for (int row : entry.getValue().rows) {
                    out[row] = verdict;
                }
            }
        }
        return List.of(out);
    }

    /**
     * Verifies one address as {@link #verifyAll(List, String)} does (same cache, same per-domain limits),
     * waiting at most {@code deadline} for the network stages. When they have not answered by then the verdict
     * is {@link VerdictPolicy#timedOut}; the work goes on in the background, so its verdict still reaches the
     * cache and a later check of the address finds it there.
     */
    public Verdict verify(String cell, String cacheScope, Duration deadline) {
        return verify(cell, cacheScope, AccountRules.none(), deadline);
    }

    /** Verifies one address as {@link #verify(String, String, Duration)}, deciding first by the account's rules. */
    public Verdict verify(String cell, String cacheScope, AccountRules rules, Duration deadline) {
        Objects.requireNonNull(cacheScope, "cacheScope");
        Objects.requireNonNull(rules, "rules");
        Verdict offline = syntax.verify(cell);
        if (offline.status() == VerdictStatus.INVALID) {
            return offline;
        }
        Pending fresh = offlineEvidence(offline, new HashMap<>());
        AccountRules.Rule rule = rules.forAddress(offline.normalized());
        if (rule != null) {
            return VerdictPolicy.decide(fresh.evidence(null, null, null, null, NetworkState.HEALTHY, rule));
        }
        if (resolver == null || fresh.disposable) {
            return VerdictPolicy.decide(fresh.evidence(null, null, null, null, NetworkState.HEALTHY));
        }
        Future<List<Verdict>> work = threads.submit(() -> verifyAll(List.of(cell), cacheScope, rules));
        try {
            return work.get(deadline.toNanos(), TimeUnit.NANOSECONDS).getFirst();
        } catch (TimeoutException e) {
            return VerdictPolicy.timedOut(fresh.evidence(null, null, null, null, NetworkState.HEALTHY));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verification was interrupted", e);
        } catch (ExecutionException e) {
            // done and failed: await rethrows the failure as verifyAll would have
            return await(work).getFirst();
        }
    }

    /** The cache, then DNS and SMTP per domain, concurrently; answers a verdict per pending address. */
    private Map<String, Verdict> network(Map<String, Pending> pending, String cacheScope, AccountRules rules,
            Transcripts transcripts, Map<String, String> smtpProviders) {
        Map<String, Verdict> cached = new HashMap<>();
        cache.verdicts(cacheScope, pending.keySet())
                .forEach((address, verdict) -> cached.put(address, verdict.asCached()));
        Map<String, Verdict> decided = new ConcurrentHashMap<>(cached);
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String address : pending.keySet()) {
            // with mail server rules a cached verdict is checked against the domain's servers too
            if (!cached.containsKey(address) || rules.hasMxRules()) {
                byDomain.computeIfAbsent(domainOf(address), d -> new ArrayList<>()).add(address);
            }
        }
        List<Future<Map<String, Verdict>>> work = new ArrayList<>(byDomain.size());
        for (Map.Entry<String, List<String>> entry : byDomain.entrySet()) {
            work.add(threads.submit(() -> {
                domainSlots.acquire();
                try {
                    return verifyDomain(entry.getKey(), entry.getValue(), pending, rules, cached, transcripts,
                            smtpProviders);
                } finally {
                    domainSlots.release();
                }
            }));
        }
        Map<String, Verdict> definitive = new HashMap<>();
        for (Future<Map<String, Verdict>> future : work) {
            Map<String, Verdict> verdicts = await(future);
            decided.putAll(verdicts);
            verdicts.forEach((address, verdict) -> {
                if (verdict.status() != VerdictStatus.UNKNOWN && verdict.reason() != Reason.ACCOUNT_RULE
                        && !verdict.cached()) {
                    definitive.put(address, verdict);
                }
            });
        }
        if (!definitive.isEmpty() && smtpProviders == null) {
            cache.putVerdicts(cacheScope, definitive);
        }
        return decided;
    }

    /**
     * DNS, then SMTP for the addresses of one domain. {@code cached} holds the verdicts the cache gave: with mail
     * server rules their addresses come here too, and keep their cached verdict unless a rule matches.
     */
    private Map<String, Verdict> verifyDomain(String domain, List<String> addresses, Map<String, Pending> pending,
            AccountRules rules, Map<String, Verdict> cached, Transcripts transcripts,
            Map<String, String> smtpProviders) {
        NetworkState network = networkState();
        Map<String, Verdict> verdicts = new HashMap<>();
        if (!network.resolverReliable()) {
            for (String address : addresses) {
                verdicts.put(address, cached.containsKey(address) ? cached.get(address)
                        : VerdictPolicy.decide(pending.get(address).evidence(null, null, null, null, network)));
            }
            return verdicts;
        }
        Optional<DomainFacts> known = cache.domain(domain);
        MailDomain mail = known.isPresent() ? known.get().mail() : resolver.resolve(domain).join();
        Boolean catchAll = known.map(DomainFacts::catchAll).orElse(null);
        boolean deliverable = mail.status() == MailDomainStatus.MX || mail.status() == MailDomainStatus.IMPLICIT_MX;
        Provider provider = deliverable ? providers.forMxHosts(mail.mxHosts().stream().map(MxHost::host).toList())
                : null;
        AccountRules.Rule rule = deliverable ? rules.forMx(mail.mxHosts()) : null;
        if (rule != null || addresses.stream().allMatch(cached::containsKey)) {
            for (String address : addresses) {
                verdicts.put(address, rule == null ? cached.get(address) : VerdictPolicy.decide(
                        pending.get(address).evidence(mail, provider, null, null, network, rule)));
            }
            return verdicts;
        }
        addresses = addresses.stream().filter(address -> !cached.containsKey(address)).toList();
        Map<String, RcptResult> rcpts = Map.of();
        if (deliverable && prober != null && !Boolean.TRUE.equals(catchAll) && smtpProviders != null) {
            for (String address : addresses) {
                smtpProviders.put(address, provider.name());
                verdicts.put(address, pending.get(address).offline);
            }
            return verdicts;
        }
        if (deliverable && prober != null && network.smtpEgressOpen() && !Boolean.TRUE.equals(catchAll)) {
            DomainProbe probe = prober.probe(domain, provider, mail.mxHosts(), addresses,
                    transcripts == null ? null : transcripts.open(domain));
            rcpts = probe.results();
            if (probe.catchAll() != null) {
                catchAll = probe.catchAll();
            }
        } else if (deliverable && prober != null && transcripts != null && Boolean.TRUE.equals(catchAll)) {
            // not probed because the cached domain facts say it accepts any address
            transcripts.catchAllFromCache(domain);
        }
        boolean worthKeeping = mail.status() != MailDomainStatus.TIMEOUT && mail.status() != MailDomainStatus.FAILURE;
        if (worthKeeping && (known.isEmpty() || !Objects.equals(known.get().catchAll(), catchAll))) {
            cache.putDomain(domain, new DomainFacts(mail, catchAll, expiry(mail)));
        }
        for (String address : addresses) {
            verdicts.put(address, VerdictPolicy.decide(pending.get(address).evidence(mail, provider, catchAll,
                    rcpts.get(address), network)));
        }
        return verdicts;
    }

    /** The gate's answer; without a prober the egress does not matter, as no mail server would be asked. */
    private NetworkState networkState() {
        NetworkState state = health.state();
        return prober == null && !state.smtpEgressOpen() ? new NetworkState(state.resolverReliable(), true) : state;
    }

    private Instant expiry(MailDomain mail) {
        Instant limit = clock.instant().plus(settings.domainTtl());
        return mail.expiresAt() != null && mail.expiresAt().isBefore(limit) ? mail.expiresAt() : limit;
    }

    /**
     * The list flags of an address; those of its domain come from {@code domains}, filled on first use, since
     * a chunk repeats few domains many times.
     */
    private Pending offlineEvidence(Verdict offline, Map<String, DomainFlags> domains) {
        String address = offline.normalized();
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        DomainFlags flags = domains.computeIfAbsent(address.substring(at + 1), this::domainFlags);
        boolean role = offline.role() || lists.isRole(local);
        Verdict flagged = new Verdict(offline.status(), offline.reason(), address, role);
        return new Pending(flagged, flags.disposable(), flags.free(),
                flags.correction() == null ? null : local + "@" + flags.correction());
    }

    private DomainFlags domainFlags(String domain) {
        return new DomainFlags(lists.isDisposable(domain), lists.isFree(domain), lists.typoCorrection(domain));
    }

    /** What the lists say of one domain: the same for every address there. */
    private record DomainFlags(boolean disposable, boolean free, String correction) {
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verification was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("verification failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** An address waiting for the network stages, with its offline evidence and the rows that hold it. */
    private static final class Pending {
        final Verdict offline;
        final boolean disposable;
        final boolean free;
        final String suggestion;
        final List<Integer> rows = Collections.synchronizedList(new ArrayList<>(1));

        Pending(Verdict offline, boolean disposable, boolean free, String suggestion) {
            this.offline = offline;
            this.disposable = disposable;
            this.free = free;
            this.suggestion = suggestion;
        }

        Evidence evidence(MailDomain mail, Provider provider, Boolean catchAll, RcptResult rcpt, NetworkState network) {
            return evidence(mail, provider, catchAll, rcpt, network, null);
        }

        Evidence evidence(MailDomain mail, Provider provider, Boolean catchAll, RcptResult rcpt, NetworkState network,
                AccountRules.Rule rule) {
            return new Evidence(offline, disposable, free, suggestion, mail, provider, catchAll, rcpt, network, rule);
        }
    }
}
