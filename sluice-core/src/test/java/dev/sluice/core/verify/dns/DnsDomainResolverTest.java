package dev.sluice.core.verify.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.DnsResponder;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class DnsDomainResolverTest {

    private static final Duration NEGATIVE_TTL = Duration.ofMinutes(5);
    private static final Duration MAX_CACHE_TTL = Duration.ofHours(1);

    private DnsResponder dns;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));

    @BeforeEach
    void startResponder() {
        dns = DnsResponder.start();
    }

    @AfterEach
    void stopResponder() {
        dns.close();
    }

    @Test
    void mx_domain_lists_its_hosts_in_preference_order_with_their_addresses() throws Exception {
        // given
        dns.mx("example.test", 20, "mx2.example.test")
                .mx("example.test", 10, "MX1.Example.Test")
                .aaaa("mx1.example.test", "::2")
                .a("mx1.example.test", "127.0.0.2")
                .a("mx2.example.test", "127.0.0.3");

        // when
        MailDomain domain = resolve(resolver(), "example.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.MX);
        assertThat(domain.domain()).isEqualTo("example.test");
        assertThat(domain.mxHosts()).containsExactly(
                new MxHost("mx1.example.test", 10, List.of(ip("127.0.0.2"), ip("::2"))),
                new MxHost("mx2.example.test", 20, List.of(ip("127.0.0.3"))));
    }

    @Test
    void mx_hosts_of_equal_preference_keep_the_order_dns_gave() throws Exception {
        // given
        dns.mx("example.test", 10, "b.example.test").mx("example.test", 10, "a.example.test")
                .mx("example.test", 5, "c.example.test")
                .a("a.example.test", "127.0.0.2").a("b.example.test", "127.0.0.3").a("c.example.test", "127.0.0.4");

        // when
        MailDomain domain = resolve(resolver(), "example.test");

        // then
        assertThat(domain.mxHosts()).extracting(MxHost::host)
                .containsExactly("c.example.test", "b.example.test", "a.example.test");
    }

    @Test
    void mx_host_without_addresses_keeps_an_empty_address_list() throws Exception {
        // given
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2")
                .mx("example.test", 20, "gone.example.test");

        // when
        MailDomain domain = resolve(resolver(), "example.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.MX);
        assertThat(domain.mxHosts()).containsExactly(
                new MxHost("mx1.example.test", 10, List.of(ip("127.0.0.2"))),
                new MxHost("gone.example.test", 20, List.of()));
    }

    @Test
    void mx_host_behind_a_cname_gets_the_addresses_of_the_target() throws Exception {
        // given
        dns.mx("example.test", 10, "mail.example.test")
                .cname("mail.example.test", "real.example.test")
                .a("real.example.test", "127.0.0.9");

        // when
        MailDomain domain = resolve(resolver(), "example.test");

        // then
        assertThat(domain.mxHosts()).containsExactly(new MxHost("mail.example.test", 10, List.of(ip("127.0.0.9"))));
    }

    @Test
    void single_mx_of_preference_zero_to_the_root_is_null_mx() throws Exception {
        // given
        dns.ttl(600).nullMx("nomail.test");

        // when
        MailDomain domain = resolve(resolver(), "nomail.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.NULL_MX);
        assertThat(domain.mxHosts()).isEmpty();
        assertThat(domain.expiresAt()).isEqualTo(domain.resolvedAt().plusSeconds(600));
    }

    @Test
    void domain_with_an_address_but_no_mx_is_its_own_mail_server() throws Exception {
        // given
        dns.aOnly("implicit.test", "127.0.0.5");

        // when
        MailDomain domain = resolve(resolver(), "implicit.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.IMPLICIT_MX);
        assertThat(domain.mxHosts()).containsExactly(new MxHost("implicit.test", 0, List.of(ip("127.0.0.5"))));
    }

    @Test
    void existing_domain_without_mx_or_address_has_no_mail_server() throws Exception {
        // given
        dns.exists("empty.test");

        // when
        MailDomain domain = resolve(resolver(), "empty.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.NO_MAIL_SERVER);
        assertThat(domain.mxHosts()).isEmpty();
        assertThat(domain.expiresAt()).isEqualTo(domain.resolvedAt().plus(NEGATIVE_TTL));
    }

    @Test
    void unknown_domain_is_no_such_domain() throws Exception {
        // given nothing about missing.test

        // when
        MailDomain domain = resolve(resolver(), "missing.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.NO_SUCH_DOMAIN);
        assertThat(domain.expiresAt()).isEqualTo(domain.resolvedAt().plus(NEGATIVE_TTL));
    }

    @Test
    void servfail_is_a_failure_remembered_for_thirty_seconds() throws Exception {
        // given
        dns.servfail("broken.test");

        // when
        MailDomain domain = resolve(resolver(), "broken.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.FAILURE);
        assertThat(domain.expiresAt()).isEqualTo(domain.resolvedAt().plusSeconds(DnsDomainResolver.FAILURE_CACHE_SECONDS));
    }

    @Test
    void refused_is_a_failure() throws Exception {
        // given
        dns.refused("refused.test");

        // when
        MailDomain domain = resolve(resolver(), "refused.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.FAILURE);
    }

    @Test
    void answer_slower_than_the_timeout_is_a_timeout() throws Exception {
        // given
        dns.nullMx("slow.test").slow("slow.test", Duration.ofSeconds(2));
        DnsDomainResolver resolver = new DnsDomainResolver(settings().withTimeout(Duration.ofMillis(300)), clock);

        // when
        MailDomain domain = resolve(resolver, "slow.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.TIMEOUT);
        assertThat(domain.mxHosts()).isEmpty();
    }

    @Test
    void slow_addresses_of_the_only_mx_host_make_the_domain_time_out() throws Exception {
        // given
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2")
                .slow("mx1.example.test", Duration.ofSeconds(2));
        DnsDomainResolver resolver = new DnsDomainResolver(settings().withTimeout(Duration.ofMillis(300)), clock);

        // when
        MailDomain domain = resolve(resolver, "example.test");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.TIMEOUT);
    }

    @Test
    void invalid_domain_name_is_a_failure_not_an_exception() throws Exception {
        // when
        MailDomain domain = resolve(resolver(), "bad..name");

        // then
        assertThat(domain.status()).isEqualTo(MailDomainStatus.FAILURE);
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void answer_expires_with_the_smallest_ttl_involved() throws Exception {
        // given
        dns.ttl(600).mx("example.test", 10, "mx1.example.test").ttl(120).a("mx1.example.test", "127.0.0.2");

        // when
        MailDomain domain = resolve(resolver(), "example.test");

        // then
        assertThat(domain.resolvedAt()).isEqualTo(clock.instant());
        assertThat(domain.expiresAt()).isEqualTo(domain.resolvedAt().plusSeconds(120));
    }

    @Test
    void long_ttl_is_capped_by_the_maximum_cache_ttl() throws Exception {
        // given
        dns.ttl(86_400).aOnly("implicit.test", "127.0.0.5");

        // when
        MailDomain domain = resolve(resolver(), "implicit.test");

        // then
        assertThat(domain.expiresAt()).isEqualTo(domain.resolvedAt().plus(MAX_CACHE_TTL));
    }

    @Test
    void second_resolve_within_the_ttl_is_answered_from_the_cache() throws Exception {
        // given
        dns.ttl(600).mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2");
        DnsDomainResolver resolver = resolver();
        MailDomain first = resolve(resolver, "example.test");

        // when
        clock.advance(Duration.ofSeconds(599));
        MailDomain second = resolve(resolver, "example.test");

        // then
        assertThat(second).isSameAs(first);
        assertThat(dns.queryCount("example.test", Type.MX)).isEqualTo(1);
        assertThat(dns.queryCount("mx1.example.test", Type.A)).isEqualTo(1);
    }

    @Test
    void resolve_after_expiry_asks_dns_again() throws Exception {
        // given
        dns.ttl(600).mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2");
        DnsDomainResolver resolver = resolver();
        MailDomain first = resolve(resolver, "example.test");

        // when
        clock.advance(Duration.ofSeconds(600));
        MailDomain second = resolve(resolver, "example.test");

        // then
        assertThat(second.resolvedAt()).isEqualTo(first.expiresAt());
        assertThat(dns.queryCount("example.test", Type.MX)).isEqualTo(2);
    }

    @Test
    void no_such_domain_is_cached_for_the_negative_ttl() throws Exception {
        // given
        DnsDomainResolver resolver = resolver();
        resolve(resolver, "missing.test");

        // when
        clock.advance(NEGATIVE_TTL.minusSeconds(1));
        MailDomain cached = resolve(resolver, "missing.test");
        int queriesWhileCached = dns.queryCount("missing.test", Type.MX);
        clock.advance(Duration.ofSeconds(1));
        resolve(resolver, "missing.test");

        // then
        assertThat(cached.status()).isEqualTo(MailDomainStatus.NO_SUCH_DOMAIN);
        assertThat(queriesWhileCached).isEqualTo(1);
        assertThat(dns.queryCount("missing.test", Type.MX)).isEqualTo(2);
    }

    @Test
    void zero_negative_ttl_caches_neither_negative_answers_nor_failures() throws Exception {
        // given
        dns.servfail("broken.test");
        DnsDomainResolver resolver = new DnsDomainResolver(
                settings().withCacheTtls(MAX_CACHE_TTL, Duration.ZERO), clock);

        // when
        resolve(resolver, "missing.test");
        resolve(resolver, "missing.test");
        resolve(resolver, "broken.test");
        resolve(resolver, "broken.test");

        // then
        assertThat(dns.queryCount("missing.test", Type.MX)).isEqualTo(2);
        assertThat(dns.queryCount("broken.test", Type.MX)).isEqualTo(2);
    }

    @Test
    void concurrent_calls_for_one_domain_share_one_lookup() throws Exception {
        // given
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2")
                .slow("example.test", Duration.ofMillis(200));
        DnsDomainResolver resolver = resolver();

        // when
        List<CompletableFuture<MailDomain>> calls = IntStream.range(0, 10)
                .mapToObj(i -> resolver.resolve("example.test"))
                .toList();
        List<MailDomain> answers = calls.stream().map(DnsDomainResolverTest::await).toList();

        // then
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(MailDomainStatus.MX));
        assertThat(answers).extracting(MailDomain::resolvedAt).containsOnly(answers.get(0).resolvedAt());
        assertThat(dns.queryCount("example.test", Type.MX)).isEqualTo(1);
    }

    @Test
    void no_more_than_the_configured_number_of_domains_are_resolved_at_once() throws Exception {
        // given
        List<String> domains = IntStream.range(0, 6).mapToObj(i -> "d" + i + ".test").toList();
        domains.forEach(d -> dns.nullMx(d).slow(d, Duration.ofMillis(200)));
        DnsDomainResolver resolver = new DnsDomainResolver(settings().withMaxConcurrentLookups(2), clock);

        // when
        List<CompletableFuture<MailDomain>> calls = domains.stream().map(resolver::resolve).toList();
        List<MailDomain> answers = calls.stream().map(DnsDomainResolverTest::await).toList();

        // then
        assertThat(answers).extracting(MailDomain::status).containsOnly(MailDomainStatus.NULL_MX);
        assertThat(dns.queryCount()).isEqualTo(6);
        assertThat(dns.peakConcurrentQueries()).isEqualTo(2);
    }

    private DnsSettings settings() {
        return new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 8, MAX_CACHE_TTL, NEGATIVE_TTL);
    }

    private DnsDomainResolver resolver() {
        return new DnsDomainResolver(settings(), clock);
    }

    private static MailDomain resolve(DnsDomainResolver resolver, String domain) {
        return await(resolver.resolve(domain));
    }

    private static MailDomain await(CompletableFuture<MailDomain> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("resolve did not complete normally", e);
        }
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
