package dev.sluice.server.verify;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.sluice.core.verify.EmailVerifier;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.core.verify.dns.DnsDomainResolver;
import dev.sluice.core.verify.dns.DnsSettings;
import dev.sluice.core.verify.lists.ListOverrides;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.RetryPolicy;
import dev.sluice.core.verify.smtp.SmtpSettings;
import dev.sluice.core.verify.smtp.SocketSmtpProber;
import dev.sluice.server.ingest.AddressGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the verification engine from {@code sluice.verify.*}: the core's stages wired to this node's
 * configuration, with the cache in the store so every node and job shares it.
 */
@Configuration(proxyBeanMethods = false)
class VerifyConfig {

    private static final Logger log = LoggerFactory.getLogger(VerifyConfig.class);

    @Bean(destroyMethod = "close")
    VerificationEngine verificationEngine(VerifyProperties properties, JdbcClient jdbc, NamedParameterJdbcTemplate named,
            JsonMapper json, Clock clock) {
        VerifyProperties.Dns dns = properties.dns();
        VerifyProperties.Smtp smtp = properties.smtp();
        VerifyProperties.Lists files = properties.lists();
        ShippedDomainLists lists = ShippedDomainLists.load(
                new ListOverrides(files.disposable(), files.free(), files.roles(), files.typos()));
        DnsDomainResolver resolver = null;
        SocketSmtpProber prober = null;
        if (dns.enabled()) {
            resolver = new DnsDomainResolver(new DnsSettings(DnsSettings.parseServers(dns.servers()), dns.timeout(),
                    dns.maxConcurrent(), dns.maxCacheTtl(), dns.negativeTtl()), clock);
            if (smtp.enabled()) {
                prober = new SocketSmtpProber(new SmtpSettings(smtp.port(), smtp.heloName(), smtp.effectiveMailFrom(),
                        smtp.connectTimeout(), smtp.readTimeout(), smtp.startTls(), smtp.recipientsPerConnection(),
                        smtp.connectionsPerDomain(), smtp.rcptPerSecondPerDomain(),
                        new RetryPolicy(smtp.retryAttempts(), smtp.retryDelay()), smtp.effectiveProxy()),
                        mxAddressPolicy(smtp));
            }
        }
        VerifyProperties.Cache cacheSettings = properties.cache();
        VerificationCache cache = cacheSettings.enabled() && dns.enabled()
                ? new VerifyCacheStore(jdbc, named, json, cacheSettings.verdictTtl(), clock)
                : VerificationCache.none();
        log.debug("verification stages: offline{}{}{}", dns.enabled() ? ", dns" : "",
                prober != null ? ", smtp (port " + smtp.port()
                        + (smtp.effectiveProxy() == null ? "" : ", via " + smtp.effectiveProxy()) + ")" : "",
                cacheSettings.enabled() && dns.enabled()
                        ? ", cache (scope " + cacheSettings.scope().name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
        VerifyProperties.Syntax syntax = properties.syntax();
        EmailVerifier offline = new EmailVerifier(new EmailVerifier.Options(syntax.allowQuotedLocalPart(),
                syntax.allowIpLiteral(), syntax.requirePublicSuffix()));
        return new VerificationEngine(offline, lists, resolver, prober, cache,
                new VerificationEngine.Settings(cacheSettings.verdictTtl(), cacheSettings.domainTtl(),
                        properties.maxConcurrentDomains()), clock);
    }

    /**
     * The later attempts of addresses put aside after a "try again later" answer; a failing run (the store
     * unreachable) tries again with backoff, and its addresses stay put aside meanwhile.
     */
    @Bean
    OneTimeTask<String> verifyRetryTask(VerifyRetries retries) {
        return Tasks.oneTime(VerifyRetries.RETRY)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(1)))
                .execute((instance, context) -> {
                    try {
                        retries.retry(instance.getData(), context.getSchedulerClient());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** The fetch guard's rule for MX addresses, with the SMTP stage's own allow list and port. */
    private static MxAddressPolicy mxAddressPolicy(VerifyProperties.Smtp smtp) {
        AddressGuard guard = AddressGuard.allowing("sluice.verify.smtp.allow", smtp.allow());
        return (host, address) -> guard.refusal(host, address, smtp.port()).isEmpty();
    }
}
