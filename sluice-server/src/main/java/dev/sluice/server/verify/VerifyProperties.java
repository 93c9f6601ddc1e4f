package dev.sluice.server.verify;

import dev.sluice.core.verify.smtp.SmtpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param maxConcurrentDomains domains verified at once on this node; default {@value #DEFAULT_MAX_CONCURRENT_DOMAINS}
 */
@ConfigurationProperties("sluice.verify")
public record VerifyProperties(
        @DefaultValue Syntax syntax,
        @DefaultValue Dns dns,
        @DefaultValue Smtp smtp,
        @DefaultValue Cache cache,
        @DefaultValue Lists lists,
        @DefaultValue("" + DEFAULT_MAX_CONCURRENT_DOMAINS) int maxConcurrentDomains) {

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
     */
    public record Dns(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String servers,
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("64") int maxConcurrent,
            @DefaultValue("1h") Duration maxCacheTtl,
            @DefaultValue("15m") Duration negativeTtl) {
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
            @DefaultValue(DEFAULT_RETRY_AFTER) List<Duration> retryAfter) {

        /** Tries for a 4xx recipient while its chunk is worked on: one more, a few seconds later. */
        public static final int DEFAULT_RETRY_ATTEMPTS = 2;

        /** The later attempts' delays: greylisting servers ask for 5 to 45 minutes. */
        public static final String DEFAULT_RETRY_AFTER = "5m,15m,45m";

        public Smtp {
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

        /** Every component, the proxy with its password masked. */
        @Override
        public String toString() {
            return "Smtp[enabled=" + enabled + ", port=" + port + ", heloName=" + heloName + ", mailFrom=" + mailFrom
                    + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", startTls=" + startTls
                    + ", recipientsPerConnection=" + recipientsPerConnection + ", connectionsPerDomain="
                    + connectionsPerDomain + ", rcptPerSecondPerDomain=" + rcptPerSecondPerDomain + ", retryAttempts="
                    + retryAttempts + ", retryDelay=" + retryDelay + ", allow=" + allow + ", proxy="
                    + (proxy == null || proxy.isBlank() ? "" : maskedProxy()) + ", retryAfter=" + retryAfter + "]";
        }

        private String maskedProxy() {
            try {
                return SmtpProxy.parse(proxy).toString();
            } catch (IllegalArgumentException e) {
                return "(malformed)";
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
     * Files replacing the shipped lists, one entry per line (unset = shipped list).
     *
     * @param disposable disposable domains
     * @param free       free mailbox providers
     * @param roles      role local parts
     * @param typos      {@code wrong=right} domain typos
     */
    public record Lists(Path disposable, Path free, Path roles, Path typos) {
    }
}
