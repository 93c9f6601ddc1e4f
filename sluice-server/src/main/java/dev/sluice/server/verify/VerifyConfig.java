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
import dev.sluice.core.verify.preflight.Preflight;
import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.verify.providers.ProviderTable;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.RetryPolicy;
import dev.sluice.core.verify.smtp.SmtpRoute;
import dev.sluice.core.verify.smtp.SmtpSettings;
import dev.sluice.core.verify.smtp.SmtpThrottle;
import dev.sluice.core.verify.smtp.SocketSmtpProber;
import dev.sluice.server.config.NodeIdentity;
import dev.sluice.server.ingest.AddressGuard;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the verification engine from {@code sluice.verify.*}: the core's stages wired to this node's
 * configuration, with the cache in the store so every node and job shares it.
 */
@Configuration(proxyBeanMethods = false)
class VerifyConfig {

    private static final Logger log = LoggerFactory.getLogger(VerifyConfig.class);

    /** The provider table: {@code sluice.verify.providers.file}, or the shipped one. */
    @Bean
    ProviderTable providerTable(VerifyProperties properties) {
        Path file = properties.providers().file();
        return file == null ? ProviderTable.shipped() : ProviderTable.load(file);
    }

    /** The SMTP limits every node shares; touched only when an SMTP connection is about to be opened. */
    @Bean(destroyMethod = "close")
    ClusterThrottle clusterThrottle(VerifyProperties properties, ProviderTable providers, JdbcClient jdbc,
            TransactionTemplate tx, NodeIdentity node, Clock clock, MeterRegistry meters) {
        VerifyProperties.Smtp smtp = properties.smtp();
        return new ClusterThrottle(new ThrottleStore(jdbc, tx), providers, properties.throttle(),
                smtp.connectionsPerDomain(), smtp.rcptPerSecondPerDomain(), node.id(), clock, meters);
    }

    /** This node's preflight checks, run at start and then periodically: the engine's network gate. */
    @Bean(destroyMethod = "close")
    PreflightService preflightService(VerifyProperties properties, ProviderTable providers, Clock clock) {
        VerifyProperties.Dns dns = properties.dns();
        VerifyProperties.Smtp smtp = properties.smtp();
        Preflight preflight = properties.preflight().enabled()
                ? new Preflight(dns.canaries(), smtp.dnsbl(), dnsSettings(dns), smtpSettings(dns, smtp, providers),
                        mxAddressPolicy(smtp), providers, clock)
                : null;
        return new PreflightService(preflight, properties.preflight(), clock);
    }

    @Bean(destroyMethod = "close")
    VerificationEngine verificationEngine(VerifyProperties properties, ProviderTable providers, ClusterThrottle throttle,
            JdbcClient jdbc, NamedParameterJdbcTemplate named, JsonMapper json, Clock clock, PreflightService preflight) {
        VerifyProperties.Dns dns = properties.dns();
        VerifyProperties.Smtp smtp = properties.smtp();
        VerifyProperties.Lists files = properties.lists();
        ShippedDomainLists lists = ShippedDomainLists.load(
                new ListOverrides(files.disposable(), files.free(), files.roles(), files.typos()));
        DnsDomainResolver resolver = null;
        SocketSmtpProber prober = null;
        if (dns.enabled()) {
            resolver = new DnsDomainResolver(dnsSettings(dns), clock);
            if (smtp.enabled()) {
                prober = new SocketSmtpProber(smtpSettings(dns, smtp, providers), mxAddressPolicy(smtp),
                        properties.throttle().enabled() ? throttle : SmtpThrottle.NONE);
            }
        }
        VerifyProperties.Cache cacheSettings = properties.cache();
        VerificationCache cache = cacheSettings.enabled() && dns.enabled()
                ? new VerifyCacheStore(jdbc, named, json, cacheSettings.verdictTtl(), clock)
                : VerificationCache.none();
        log.debug("verification stages: offline{}{}{}", dns.enabled() ? ", dns" : "",
                prober != null ? ", smtp (port " + smtp.port()
                        + (smtp.effectiveProxy() == null ? "" : ", via " + smtp.effectiveProxy())
                        + (smtp.routes().isEmpty() ? "" : ", routes " + smtp.effectiveRoutes()) + ")" : "",
                cacheSettings.enabled() && dns.enabled()
                        ? ", cache (scope " + cacheSettings.scope().name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
        VerifyProperties.Syntax syntax = properties.syntax();
        EmailVerifier offline = new EmailVerifier(new EmailVerifier.Options(syntax.allowQuotedLocalPart(),
                syntax.allowIpLiteral(), syntax.requirePublicSuffix()));
        return new VerificationEngine(offline, lists, resolver, prober, providers, cache,
                new VerificationEngine.Settings(cacheSettings.verdictTtl(), cacheSettings.domainTtl(),
                        properties.maxConcurrentDomains()), clock, preflight);
    }

    /** The DNS stage's settings, or null when it is disabled. */
    private static DnsSettings dnsSettings(VerifyProperties.Dns dns) {
        return dns.enabled() ? new DnsSettings(DnsSettings.parseServers(dns.servers()), dns.timeout(),
                dns.maxConcurrent(), dns.maxCacheTtl(), dns.negativeTtl()) : null;
    }

    /** The SMTP stage's settings, or null when it is disabled (it needs DNS). */
    private static SmtpSettings smtpSettings(VerifyProperties.Dns dns, VerifyProperties.Smtp smtp,
            ProviderTable providers) {
        return dns.enabled() && smtp.enabled() ? new SmtpSettings(smtp.port(), smtp.heloName(),
                smtp.effectiveMailFrom(), smtp.connectTimeout(), smtp.readTimeout(), smtp.startTls(),
                smtp.recipientsPerConnection(), smtp.connectionsPerDomain(), smtp.rcptPerSecondPerDomain(),
                new RetryPolicy(smtp.retryAttempts(), smtp.retryDelay()), smtp.effectiveProxy(),
                routes(smtp, providers)) : null;
    }

    /** The per-provider routes; one naming a provider the table does not have is a typo, refused at start. */
    private static Map<String, SmtpRoute> routes(VerifyProperties.Smtp smtp, ProviderTable providers) {
        Map<String, SmtpRoute> routes = smtp.effectiveRoutes();
        for (String provider : routes.keySet()) {
            if (providers.named(provider).isEmpty()) {
                throw new IllegalArgumentException("sluice.verify.smtp.routes." + provider + " names no provider of "
                        + "the provider table (sluice.verify.providers.file); known: " + providers.providers().stream()
                        .map(Provider::name).sorted().toList());
            }
        }
        return routes;
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
