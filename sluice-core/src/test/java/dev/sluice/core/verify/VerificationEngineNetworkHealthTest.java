package dev.sluice.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.verify.dns.DnsDomainResolver;
import dev.sluice.core.verify.dns.DnsSettings;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import dev.sluice.core.verify.providers.ProviderTable;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.RetryPolicy;
import dev.sluice.core.verify.smtp.SmtpSettings;
import dev.sluice.core.verify.smtp.SocketSmtpProber;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * The engine consults its {@link NetworkHealth} gate before each domain's network stages: a broken instrument
 * gives no evidence, only {@code unknown} verdicts naming it, and the stage resumes when the gate says so.
 */
class VerificationEngineNetworkHealthTest {

    final DnsResponder dns = DnsResponder.start();
    final TestSmtpServer mx = TestSmtpServer.start(TestSmtpServer.loopback(43), 0,
            Behavior.onlyMailboxes("ann@mailboxes.example.net"));
    final AtomicReference<NetworkState> state = new AtomicReference<>(NetworkState.HEALTHY);
    final CountingCache cache = new CountingCache();
    final VerificationEngine engine;

    VerificationEngineNetworkHealthTest() {
        dns.mx("mailboxes.example.net", 10, "mx.mailboxes.example.net").a("mx.mailboxes.example.net", "127.0.0.43");
        DnsDomainResolver resolver = new DnsDomainResolver(DnsSettings.defaults().withServers(List.of(dns.address()))
                .withTimeout(Duration.ofMillis(700)).withCacheTtls(Duration.ZERO, Duration.ZERO));
        SocketSmtpProber prober = new SocketSmtpProber(new SmtpSettings(mx.port(), "sluice.example.net", "",
                Duration.ofMillis(500), Duration.ofMillis(800), false, 100, 2, 0, new RetryPolicy(1, Duration.ZERO)),
                MxAddressPolicy.anyAddress());
        engine = new VerificationEngine(new EmailVerifier(), ShippedDomainLists.shipped(), resolver, prober,
                ProviderTable.shipped(), cache,
                new VerificationEngine.Settings(Duration.ofHours(1), Duration.ofHours(1), 4), Clock.systemUTC(),
                state::get);
    }

    @AfterEach
    void stop() {
        engine.close();
        mx.close();
        dns.close();
    }

    @Test
    void an_unreliable_resolver_gives_dns_unreliable_and_asks_no_dns() {
        // given the gate says the resolver is unreliable
        state.set(new NetworkState(false, true));

        // when a chunk is verified
        List<Verdict> verdicts = engine.verifyAll(List.of("ann@mailboxes.example.net", "bob@missing.example.net",
                "not an address", "tom@mailinator.com"));

        // then DNS-based verdicts are unknown / dns_unreliable (never invalid / no_such_domain), the offline ones stand
        assertThat(verdicts).extracting(Verdict::status, Verdict::reason).containsExactly(
                tuple(VerdictStatus.UNKNOWN, Reason.DNS_UNRELIABLE),
                tuple(VerdictStatus.UNKNOWN, Reason.DNS_UNRELIABLE),
                tuple(VerdictStatus.INVALID, Reason.SYNTAX_MISSING_AT),
                tuple(VerdictStatus.INVALID, Reason.DISPOSABLE));
        assertThat(dns.queryCount("mailboxes.example.net", Type.MX)).isZero();
        assertThat(cache.verdictsPut).isZero();
    }

    @Test
    void a_blocked_egress_gives_smtp_egress_blocked_at_once_and_the_stage_resumes_when_it_opens() {
        // given the gate says the SMTP egress is blocked
        state.set(new NetworkState(true, false));

        // when a chunk is verified
        Verdict blocked = engine.verifyAll(List.of("ann@mailboxes.example.net")).get(0);

        // then no mail server was asked and the verdict names the egress; nothing is cached
        assertThat(blocked.status()).isEqualTo(VerdictStatus.UNKNOWN);
        assertThat(blocked.reason()).isEqualTo(Reason.SMTP_EGRESS_BLOCKED);
        assertThat(mx.connections()).isZero();
        assertThat(cache.verdictsPut).isZero();

        // when a later check finds the egress open
        state.set(NetworkState.HEALTHY);

        // then the SMTP stage runs again
        Verdict resumed = engine.verifyAll(List.of("ann@mailboxes.example.net")).get(0);
        assertThat(resumed.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(mx.connections()).isPositive();
    }

    /** Counts the verdicts the engine keeps; keeps nothing. */
    static final class CountingCache implements VerificationCache {
        int verdictsPut;

        @Override
        public Map<String, Verdict> verdicts(String scope, Collection<String> addresses) {
            return Map.of();
        }

        @Override
        public void putVerdicts(String scope, Map<String, Verdict> verdicts) {
            verdictsPut += verdicts.size();
        }

        @Override
        public Optional<DomainFacts> domain(String domain) {
            return Optional.empty();
        }

        @Override
        public void putDomain(String domain, DomainFacts facts) {
        }
    }
}
