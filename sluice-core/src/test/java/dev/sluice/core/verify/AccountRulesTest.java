package dev.sluice.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.verify.dns.DnsDomainResolver;
import dev.sluice.core.verify.dns.DnsSettings;
import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.RetryPolicy;
import dev.sluice.core.verify.smtp.SmtpSettings;
import dev.sluice.core.verify.smtp.SocketSmtpProber;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The account rules matcher, and the engine deciding by it before the cache, DNS and SMTP. */
class AccountRulesTest {

    @Test
    void the_most_specific_rule_decides_an_address() {
        // given rules of every address kind
        AccountRules rules = AccountRules.of(List.of(
                AccountRules.Rule.parse("tld:ru", "unknown"),
                AccountRules.Rule.parse("domain:Example.COM", "valid"),
                AccountRules.Rule.parse("email:boss@example.com", "invalid")));

        // then email beats domain beats tld; a subdomain is not the domain; local parts keep their case
        assertThat(rules.forAddress("boss@example.com").match()).isEqualTo("email:boss@example.com");
        assertThat(rules.forAddress("ann@example.com").match()).isEqualTo("domain:example.com");
        assertThat(rules.forAddress("ann@sub.example.com")).isNull();
        assertThat(rules.forAddress("Boss@example.com").match()).isEqualTo("domain:example.com");
        assertThat(rules.forAddress("ivan@mail.ru").status()).isEqualTo(VerdictStatus.UNKNOWN);
        assertThat(AccountRules.none().forAddress("ann@example.com")).isNull();
    }

    @Test
    void mx_rules_match_a_host_under_the_suffix_or_one_host_exactly() {
        AccountRules rules = AccountRules.of(List.of(
                AccountRules.Rule.parse("mx:*.protection.example.net", "unknown"),
                AccountRules.Rule.parse("mx:mx.example.org", "invalid")));

        assertThat(rules.forMx(List.of(mx("a.b.protection.example.net.")))).isNotNull();
        assertThat(rules.forMx(List.of(mx("protection.example.net")))).isNull();
        assertThat(rules.forMx(List.of(mx("other.example.net"), mx("MX.example.org"))).status())
                .isEqualTo(VerdictStatus.INVALID);
        assertThat(rules.forMx(List.of(mx("mx2.example.org")))).isNull();
    }

    @Test
    void bad_rules_say_what_is_wrong() {
        assertThatThrownBy(() -> AccountRules.Rule.parse("ip:1.2.3.4", "valid")).hasMessageContaining("email:");
        assertThatThrownBy(() -> AccountRules.Rule.parse("email:nobody", "valid"))
                .hasMessageContaining("not a valid email address");
        assertThatThrownBy(() -> AccountRules.Rule.parse("domain:a@b.com", "valid")).hasMessageContaining("domain");
        assertThatThrownBy(() -> AccountRules.Rule.parse("mx:*.", "valid")).hasMessageContaining("host name");
        assertThatThrownBy(() -> AccountRules.Rule.parse("tld:co.uk", "valid")).hasMessageContaining("one label");
        assertThatThrownBy(() -> AccountRules.Rule.parse("tld:ru", "accept_all")).hasMessageContaining("status");
        List<AccountRules.Rule> many = new ArrayList<>();
        for (int i = 0; i <= AccountRules.MAX_RULES; i++) {
            many.add(AccountRules.Rule.parse("tld:ru", "valid"));
        }
        assertThatThrownBy(() -> AccountRules.of(many)).hasMessageContaining("at most 10000");
    }

    @Test
    void the_engine_decides_by_rules_before_smtp_and_never_caches_a_rule_verdict() {
        // given a domain whose mail server is named by an mx rule, another one without, and a remembering cache
        try (TestSmtpServer smtp = TestSmtpServer.start(
                TestSmtpServer.Behavior.onlyMailboxes("carl@open.example.net"));
                DnsResponder dns = DnsResponder.start()) {
            dns.mx("ruled.example.net", 10, "in.protection.example.net")
                    .a("in.protection.example.net", smtp.address().getHostAddress())
                    .mx("open.example.net", 10, "mx.open.example.net")
                    .a("mx.open.example.net", smtp.address().getHostAddress());
            MemoryCache cache = new MemoryCache();
            AccountRules rules = AccountRules.of(List.of(
                    AccountRules.Rule.parse("mx:*.protection.example.net", "unknown"),
                    AccountRules.Rule.parse("domain:listed.example.net", "invalid")));
            SmtpSettings settings = new SmtpSettings(smtp.port(), "rules.sluice.test", "", Duration.ofSeconds(5),
                    Duration.ofSeconds(5), false, 10, 2, 0, new RetryPolicy(1, Duration.ZERO), null);
            try (VerificationEngine engine = new VerificationEngine(new EmailVerifier(), ShippedDomainLists.shipped(),
                    new DnsDomainResolver(DnsSettings.defaults().withServers(List.of(dns.address())),
                            Clock.systemUTC()),
                    new SocketSmtpProber(settings, MxAddressPolicy.anyAddress()), cache,
                    new VerificationEngine.Settings(Duration.ofHours(1), Duration.ofHours(1), 4), Clock.systemUTC())) {

                // when three addresses are verified with the rules
                List<Verdict> verdicts = engine.verifyAll(List.of("ann@ruled.example.net", "bob@listed.example.net",
                        "carl@open.example.net"), VerificationCache.SHARED, rules);

                // then the rules decide the first two, SMTP saw only the third, and only its verdict is cached
                assertThat(verdicts).extracting(v -> v.status().wire() + " " + v.reason().code()).containsExactly(
                        "unknown account_rule", "invalid account_rule", "valid accepted");
                assertThat(smtp.recipientsSeen()).doesNotContain("ann@ruled.example.net", "bob@listed.example.net");
                assertThat(cache.verdicts.keySet()).containsExactly("carl@open.example.net");

                // and a verdict cached before a new mx rule gives way to the rule
                cache.verdicts.put("dan@ruled.example.net", new Verdict(VerdictStatus.VALID, Reason.ACCEPTED,
                        "dan@ruled.example.net", false));
                assertThat(engine.verifyAll(List.of("dan@ruled.example.net"), VerificationCache.SHARED, rules))
                        .extracting(v -> v.reason().code()).containsExactly("account_rule");
            }
        }
    }

    private static MxHost mx(String host) {
        return new MxHost(host, 10, List.of());
    }

    /** A cache in memory, one scope: what the engine keeps is what a test reads. */
    private static final class MemoryCache implements VerificationCache {
        final Map<String, Verdict> verdicts = new HashMap<>();
        final Map<String, DomainFacts> domains = new HashMap<>();

        @Override
        public synchronized Map<String, Verdict> verdicts(String scope, Collection<String> addresses) {
            Map<String, Verdict> found = new HashMap<>();
            addresses.forEach(address -> Optional.ofNullable(verdicts.get(address))
                    .ifPresent(v -> found.put(address, v)));
            return found;
        }

        @Override
        public synchronized void putVerdicts(String scope, Map<String, Verdict> put) {
            verdicts.putAll(put);
        }

        @Override
        public synchronized Optional<DomainFacts> domain(String domain) {
            return Optional.ofNullable(domains.get(domain));
        }

        @Override
        public synchronized void putDomain(String domain, DomainFacts facts) {
            domains.put(domain, facts);
        }
    }
}
