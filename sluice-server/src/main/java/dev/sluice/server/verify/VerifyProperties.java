package dev.sluice.server.verify;

import dev.sluice.core.verify.smtp.SmtpProxy;
import dev.sluice.core.verify.smtp.SmtpRoute;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How addresses are verified. Every key also works as an environment variable
 * ({@code sluice.verify.smtp.port} = {@code SLUICE_VERIFY_SMTP_PORT}).
 *
 * @param syntax        the syntax rules a deployment may loosen
 * @param dns           the DNS stage
 * @param smtp          the SMTP stage (needs DNS)
 * @param cache         reuse of answers across jobs and accounts
 * @param lists         replacement list files
 * @param preflight     the checks of the resolver and the SMTP egress this node's verdicts stand on
 * @param providers     the provider table (MX host patterns, limits, whether RCPT answers mean anything)
 * @param throttle      the SMTP limits every node shares, kept in the store
 * @param maxConcurrentDomains domains verified at once on this node; default {@value #DEFAULT_MAX_CONCURRENT_DOMAINS}
 * @param single        single-address checks ({@code POST /api/v1/verify})
 */
@ConfigurationProperties("sluice.verify")
public record VerifyProperties(
        @DefaultValue Syntax syntax,
        @DefaultValue Dns dns,
        @DefaultValue Smtp smtp,
        @DefaultValue Cache cache,
        @DefaultValue Lists lists,
        @DefaultValue Preflight preflight,
        @DefaultValue Providers providers,
        @DefaultValue Throttle throttle,
        @DefaultValue("" + DEFAULT_MAX_CONCURRENT_DOMAINS) int maxConcurrentDomains,
        @DefaultValue Single single) {

    public static final int DEFAULT_MAX_CONCURRENT_DOMAINS = 64;

    /**
     * @param allowQuotedLocalPart accept {@code "john doe"@example.com}; default false
     * @param allowIpLiteral       accept {@code john@[192.0.2.1]}; default false
     * @param requirePublicSuffix  the domain must be under a suffix of the public suffix list; default true
     */
    public record Syntax(
            @DefaultValue("false") boolean allowQuotedLocalPart,
            @DefaultValue("false") boolean allowIpLiteral,
            @DefaultValue("true") boolean requirePublicSuffix) {
    }

    /**
     * @param enabled       look up MX records; off means offline checks only; default true
     * @param servers       resolvers as a {@code host:port} list; empty means the system's (env {@code SLUICE_VERIFY_DNS_SERVERS})
     * @param timeout       time for one lookup; default 5s
     * @param maxConcurrent lookups in flight at once; default 64
     * @param maxCacheTtl   longest a DNS answer is kept; default 1h
     * @param negativeTtl   longest a negative answer is kept; default 15m
     * @param canaries      well-known mail domains the preflight resolver check asks: each must have MX records,
     *                      and a random name under the first must not exist; default gmail.com, outlook.com, yahoo.com
     *                      (env {@code SLUICE_VERIFY_DNS_CANARIES}, comma-separated)
     */
    public record Dns(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String servers,
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("64") int maxConcurrent,
            @DefaultValue("1h") Duration maxCacheTtl,
            @DefaultValue("15m") Duration negativeTtl,
            @DefaultValue({"gmail.com", "outlook.com", "yahoo.com"}) List<String> canaries) {
    }

    /**
     * @param enabled                 ask mail servers with RCPT TO; default true
     * @param port                    port of every MX; default 25 (env {@code SLUICE_VERIFY_SMTP_PORT})
     * @param heloName                name sent in EHLO; default {@code sluice.localhost}
     * @param mailFrom                envelope sender; empty means {@code postmaster@<helo-name>}
     * @param connectTimeout          default 10s
     * @param readTimeout             default 30s
     * @param startTls                upgrade when offered; default true
     * @param recipientsPerConnection RCPT TO per connection; default 100
     * @param connectionsPerDomain    connections open at once per domain; default 2
     * @param rcptPerSecondPerDomain  RCPT TO per second per domain, 0 for no limit; default 10
     * @param retryAttempts           tries for a recipient answered with 4xx (greylisting, busy) while the
     *                                chunk is worked on, each on a new connection; the chunk's task waits in
     *                                between, so they stay few and short; default {@value #DEFAULT_RETRY_ATTEMPTS}
     * @param retryDelay              wait between those tries; default 5s
     * @param retryAfter              delays of the later attempts for an address still answered 4xx after
     *                                those tries: it is put aside, its batch stays {@code in_progress} with the
     *                                address counted as {@code deferred}, and a scheduled task asks again after
     *                                each delay in turn, holding no worker or connection meanwhile; only after
     *                                the last one is it {@code unknown / greylisted} (or {@code
     *                                smtp_temporary_failure}); empty for no later attempts; default
     *                                {@value #DEFAULT_RETRY_AFTER} (env {@code SLUICE_VERIFY_SMTP_RETRY_AFTER})
     * @param allow                   MX host names or IP addresses the stage may talk to even though they
     *                                are loopback, private or link-local (refused otherwise, with
     *                                {@code mx_address_not_allowed}); same syntax as {@code sluice.fetch.allow};
     *                                default none (env {@code SLUICE_VERIFY_SMTP_ALLOW}, comma-separated)
     * @param proxy                   {@code socks5://[user:password@]host:port}: every SMTP connection goes
     *                                through this SOCKS5 proxy (RFC 1928, RFC 1929 when a user is given), which
     *                                is given the MX address resolved here; a proxy that fails makes the address
     *                                {@code unknown / proxy_failed}; default none, connect directly (env {@code
     *                                SLUICE_VERIFY_SMTP_PROXY}). The password is never shown
     * @param dnsbl                   DNS blocklist zones the preflight asks about the egress address (reversed
     *                                octets under the zone, an A record means listed); default
     *                                zen.spamhaus.org, b.barracudacentral.org (env {@code
     *                                SLUICE_VERIFY_SMTP_DNSBL}, comma-separated)
     * @param routes                  per provider of the provider table, {@code routes.<provider>.proxy} = a
     *                                {@code socks5://} URI or {@code direct}: that provider's connections go
     *                                through this proxy instead of {@code proxy} (or directly); default none
     *                                (env {@code SLUICE_VERIFY_SMTP_ROUTES_<PROVIDER>_PROXY})
     */
    public record Smtp(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("25") int port,
            @DefaultValue("sluice.localhost") String heloName,
            @DefaultValue("") String mailFrom,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("30s") Duration readTimeout,
            @DefaultValue("true") boolean startTls,
            @DefaultValue("100") int recipientsPerConnection,
            @DefaultValue("2") int connectionsPerDomain,
            @DefaultValue("10") double rcptPerSecondPerDomain,
            @DefaultValue("" + DEFAULT_RETRY_ATTEMPTS) int retryAttempts,
            @DefaultValue("5s") Duration retryDelay,
            @DefaultValue("") List<String> allow,
            @DefaultValue("") String proxy,
            @DefaultValue({"zen.spamhaus.org", "b.barracudacentral.org"}) List<String> dnsbl,
            Map<String, Route> routes,
            @DefaultValue(DEFAULT_RETRY_AFTER) List<Duration> retryAfter) {

        /** Tries for a 4xx recipient while its chunk is worked on: one more, a few seconds later. */
        public static final int DEFAULT_RETRY_ATTEMPTS = 2;

        /** The later attempts' delays: greylisting servers ask for 5 to 45 minutes. */
        public static final String DEFAULT_RETRY_AFTER = "5m,15m,45m";

        public Smtp {
            routes = routes == null ? Map.of() : Map.copyOf(routes);
            retryAfter = retryAfter == null ? List.of() : List.copyOf(retryAfter);
            for (Duration delay : retryAfter) {
                if (delay.isNegative() || delay.isZero()) {
                    throw new IllegalArgumentException("sluice.verify.smtp.retry-after: every delay must be positive,"
                            + " was " + delay + "; leave it empty for no later attempts");
                }
            }
        }

        public String effectiveMailFrom() {
            return mailFrom == null || mailFrom.isBlank() ? "postmaster@" + heloName : mailFrom.strip();
        }

        /** The SOCKS5 proxy, or null to connect directly; a malformed value fails without repeating it. */
        public SmtpProxy effectiveProxy() {
            return proxy == null || proxy.isBlank() ? null : SmtpProxy.parse(proxy);
        }

        /** The routes by provider name; a malformed one fails without repeating it. */
        public Map<String, SmtpRoute> effectiveRoutes() {
            Map<String, SmtpRoute> parsed = new LinkedHashMap<>();
            routes.forEach((provider, route) -> {
                try {
                    parsed.put(provider, SmtpRoute.parse(route.proxy() == null ? "" : route.proxy()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sluice.verify.smtp.routes." + provider + ".proxy: "
                            + e.getMessage() + " (or 'direct')", e);
                }
            });
            return parsed;
        }

        /** Every component, the proxy with its password masked. */
        @Override
        public String toString() {
            return "Smtp[enabled=" + enabled + ", port=" + port + ", heloName=" + heloName + ", mailFrom=" + mailFrom
                    + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", startTls=" + startTls
                    + ", recipientsPerConnection=" + recipientsPerConnection + ", connectionsPerDomain="
                    + connectionsPerDomain + ", rcptPerSecondPerDomain=" + rcptPerSecondPerDomain + ", retryAttempts="
                    + retryAttempts + ", retryDelay=" + retryDelay + ", allow=" + allow + ", proxy="
                    + (proxy == null || proxy.isBlank() ? "" : maskedProxy()) + ", dnsbl=" + dnsbl + ", routes="
                    + maskedRoutes() + ", retryAfter=" + retryAfter + "]";
        }

        private String maskedRoutes() {
            try {
                return effectiveRoutes().toString();
            } catch (IllegalArgumentException e) {
                return "(malformed)";
            }
        }

        private String maskedProxy() {
            try {
                return SmtpProxy.parse(proxy).toString();
            } catch (IllegalArgumentException e) {
                return "(malformed)";
            }
        }
    }

    /** @param proxy {@code socks5://[user:password@]host:port}, or {@code direct} */
    public record Route(String proxy) {
        @Override
        public String toString() {
            try {
                return "Route[proxy=" + (proxy == null ? "" : SmtpRoute.parse(proxy)) + "]";
            } catch (IllegalArgumentException e) {
                return "Route[proxy=(malformed)]";
            }
        }
    }

    /**
     * When a check fails, the stage it watches pauses on this node: an unreliable resolver makes DNS verdicts
     * {@code unknown / dns_unreliable}, a blocked egress makes SMTP verdicts {@code unknown / smtp_egress_blocked};
     * both resume at the first later check that passes.
     *
     * @param enabled           run the checks at start and then periodically; off means the network is never
     *                          doubted; default true (env {@code SLUICE_VERIFY_PREFLIGHT_ENABLED})
     * @param healthyInterval   time between runs while every check passes; default 10m
     * @param unhealthyInterval time between runs while a check fails; default 60s
     */
    public record Preflight(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("10m") Duration healthyInterval,
            @DefaultValue("60s") Duration unhealthyInterval) {

        public Preflight {
            if (healthyInterval.isNegative() || healthyInterval.isZero() || unhealthyInterval.isNegative()
                    || unhealthyInterval.isZero()) {
                throw new IllegalArgumentException("sluice.verify.preflight intervals must be positive");
            }
        }
    }

    /**
     * @param enabled    keep answers across jobs; default true
     * @param verdictTtl how long a definitive verdict is reused; default 24h
     * @param domainTtl  how long domain facts (MX, catch-all) are reused at most; default 24h
     * @param scope      who reuses a cached verdict: {@code account} (only the account whose job verified
     *                   it) or {@code global} (every account: fewer SMTP conversations, but a cached answer
     *                   tells one account which addresses another verified); default {@code account}
     *                   (env {@code SLUICE_VERIFY_CACHE_SCOPE})
     */
    public record Cache(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("24h") Duration verdictTtl,
            @DefaultValue("24h") Duration domainTtl,
            @DefaultValue("account") CacheScope scope) {
    }

    /** Who may reuse a cached verdict. */
    public enum CacheScope {
        /** Only the account whose job verified the address: no account learns of another's work. */
        ACCOUNT,
        /** Every account: the fewest SMTP conversations, at the price of the side channel above. */
        GLOBAL;

        /** The cache scope a job of {@code accountId} reads and fills. */
        String of(String accountId) {
            return this == ACCOUNT ? accountId : dev.sluice.core.verify.VerificationCache.SHARED;
        }
    }

    /**
     * @param defaultTimeout       how long a check waits for DNS and SMTP when the request names no timeout;
     *                             default {@value #DEFAULT_TIMEOUT} (env {@code SLUICE_VERIFY_SINGLE_DEFAULT_TIMEOUT})
     * @param maxTimeout           the longest timeout a request may name; default {@value #MAX_TIMEOUT}
     * @param evaluationDailyLimit checks an account may make per UTC day with evaluation keys (live keys are not
     *                             limited); default {@value #EVALUATION_DAILY_LIMIT}
     */
    public record Single(
            @DefaultValue(Single.DEFAULT_TIMEOUT) Duration defaultTimeout,
            @DefaultValue(Single.MAX_TIMEOUT) Duration maxTimeout,
            @DefaultValue("" + Single.EVALUATION_DAILY_LIMIT) long evaluationDailyLimit) {

        public static final String DEFAULT_TIMEOUT = "30s";
        public static final String MAX_TIMEOUT = "120s";
        public static final long EVALUATION_DAILY_LIMIT = 100;

        public Single {
            if (defaultTimeout.isNegative() || defaultTimeout.isZero() || defaultTimeout.compareTo(maxTimeout) > 0) {
                throw new IllegalArgumentException("sluice.verify.single.default-timeout must be above 0 and at most "
                        + "max-timeout (" + maxTimeout + "), was " + defaultTimeout);
            }
        }
    }

    /**
     * Files replacing the shipped lists, one entry per line (unset = shipped list).
     *
     * @param disposable disposable domains
     * @param free       free mailbox providers
     * @param roles      role local parts
     * @param typos      {@code wrong=right} domain typos
     */
    public record Lists(Path disposable, Path free, Path roles, Path typos) {
    }

    /**
     * @param enabled  hold the per-provider and per-domain SMTP limits for the whole cluster, in the store;
     *                 off means each node holds the per-domain ones alone; default true
     * @param leaseTtl how long a dead node's connections still count; default 60s
     * @param backoff  how long a 421 or "too many connections" answer halves a provider's limits; default 10m
     * @param poll     how often a full limit is asked again; default 250ms
     */
    public record Throttle(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("60s") Duration leaseTtl,
            @DefaultValue("10m") Duration backoff,
            @DefaultValue("250ms") Duration poll) {

        public Throttle {
            if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("sluice.verify.throttle.lease-ttl must be at least 1s and poll "
                        + "more than 0");
            }
        }
    }

    /**
     * @param file a provider table replacing the shipped one (same format, see the README); unset = the
     *             shipped table (env {@code SLUICE_VERIFY_PROVIDERS_FILE})
     */
    public record Providers(Path file) {
    }
}
