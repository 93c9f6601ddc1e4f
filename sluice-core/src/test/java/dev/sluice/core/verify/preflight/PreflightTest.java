package dev.sluice.core.verify.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.testing.TestSocks5Server;
import dev.sluice.core.verify.NetworkState;
import dev.sluice.core.verify.dns.DnsSettings;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.RetryPolicy;
import dev.sluice.core.verify.smtp.SmtpProxy;
import dev.sluice.core.verify.smtp.SmtpSettings;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each preflight check against a DNS responder, SMTP servers and a SOCKS5 proxy on loopback. */
class PreflightTest {

    static final List<String> CANARIES = List.of("gmail.com", "outlook.com");
    static final List<String> ZONES = List.of("zen.example.net");

    final DnsResponder dns = DnsResponder.start();
    final TestSmtpServer mx = TestSmtpServer.start(TestSmtpServer.loopback(41), 0, Behavior.acceptAll());

    @AfterEach
    void stop() {
        mx.close();
        dns.close();
    }

    @Test
    void a_resolver_that_knows_the_canaries_and_an_open_egress_pass() {
        // given canaries with MX records whose mail servers listen
        canariesAt("127.0.0.41");

        // when preflight runs
        PreflightReport report = preflight(smtp(null), MxAddressPolicy.anyAddress()).run();

        // then the resolver and the egress are fine
        assertThat(report.result(PreflightCheck.RESOLVER).status()).isEqualTo(CheckStatus.OK);
        assertThat(report.result(PreflightCheck.RESOLVER).message()).contains("gmail.com and outlook.com have MX");
        assertThat(report.result(PreflightCheck.SMTP_EGRESS).status()).isEqualTo(CheckStatus.OK);
        assertThat(report.result(PreflightCheck.SMTP_EGRESS).message()).contains("mx.gmail.com [127.0.0.41]");
        assertThat(report.network()).isEqualTo(NetworkState.HEALTHY);
        // and nothing was asked of the mail servers: one connection per canary, closed before the banner
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.rcptCommands()).isZero();
    }

    @Test
    void a_resolver_that_calls_every_name_missing_is_unreliable() {
        // given a resolver that says NXDOMAIN for everything

        // when preflight runs
        PreflightReport report = preflight(smtp(null), MxAddressPolicy.anyAddress()).run();

        // then the resolver failed, and the egress could not be checked
        CheckResult resolver = report.result(PreflightCheck.RESOLVER);
        assertThat(resolver.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(resolver.message()).startsWith("The resolver says gmail.com does not exist")
                .contains("dns_unreliable");
        assertThat(report.result(PreflightCheck.SMTP_EGRESS).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.network().resolverReliable()).isFalse();
        assertThat(report.network().smtpEgressOpen()).isTrue();
        assertThat(report.healthy()).isFalse();
    }

    @Test
    void a_resolver_that_answers_a_random_name_is_unreliable() {
        // given a resolver that knows the canaries but makes up an address for any other name
        canariesAt("127.0.0.41");
        dns.answerEveryName("127.0.0.41");

        // when preflight runs
        CheckResult resolver = check(PreflightCheck.RESOLVER);

        // then it is unreliable
        assertThat(resolver.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(resolver.message()).contains("answers the random name sluice-").contains(".gmail.com");
    }

    @Test
    void a_port_nobody_listens_on_blocks_the_egress() {
        // given canaries whose mail servers' address has nothing listening on the SMTP port
        canariesAt("127.0.0.42");

        // when preflight runs
        PreflightReport report = preflight(smtp(null), MxAddressPolicy.anyAddress()).run();

        // then the egress is blocked
        CheckResult egress = report.result(PreflightCheck.SMTP_EGRESS);
        assertThat(egress.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(egress.message()).contains("mx.gmail.com [127.0.0.42]").contains("smtp_egress_blocked");
        assertThat(report.network()).isEqualTo(new NetworkState(true, false));
    }

    @Test
    void the_egress_check_goes_through_the_proxy_and_a_refusing_proxy_blocks_it() {
        canariesAt("127.0.0.41");
        try (TestSocks5Server proxy = TestSocks5Server.start("pre", "pre-s3cret")) {
            // given the SMTP stage's SOCKS5 proxy
            SmtpProxy via = new SmtpProxy("127.0.0.1", proxy.port(), "pre", "pre-s3cret");

            // when preflight runs, the connection goes through it
            CheckResult egress = preflight(smtp(via), MxAddressPolicy.anyAddress()).run()
                    .result(PreflightCheck.SMTP_EGRESS);
            assertThat(egress.status()).isEqualTo(CheckStatus.OK);
            assertThat(egress.message()).contains("through socks5://pre:***@127.0.0.1:" + proxy.port());
            // the proxy's connect is done once the handshake is; the server's accept may come a moment later
            assertThat(connectionsFrom(proxy.egressAddress(), 2)).isEqualTo(2);

            // and when the proxy refuses the mail server, the egress is blocked
            proxy.refuse(TestSmtpServer.loopback(41));
            CheckResult refused = preflight(smtp(via), MxAddressPolicy.anyAddress()).run()
                    .result(PreflightCheck.SMTP_EGRESS);
            assertThat(refused.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(refused.message()).startsWith("The SOCKS5 proxy failed").doesNotContain("pre-s3cret");
        }
    }

    @Test
    void the_mx_address_guard_keeps_canary_servers_unasked() {
        // given a guard that refuses the canaries' mail server addresses
        canariesAt("127.0.0.41");

        // when preflight runs
        CheckResult egress = preflight(smtp(null), (host, address) -> false).run().result(PreflightCheck.SMTP_EGRESS);

        // then nothing was connected to
        assertThat(egress.status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(egress.message()).contains("MX address guard");
        assertThat(mx.connections()).isZero();
    }

    @Test
    void the_helo_name_must_resolve_and_its_reverse_dns_must_name_it() {
        canariesAt("127.0.0.41");
        // given a HELO name without an address
        assertThat(preflight(smtp(null), MxAddressPolicy.anyAddress()).run().result(PreflightCheck.HELO_NAME).message())
                .startsWith("The HELO name mail.example.net does not resolve");

        // given an address whose reverse DNS names another host
        dns.a("mail.example.net", "203.0.113.7").ptr("203.0.113.7", "other.example.net");
        CheckResult mismatch = check(PreflightCheck.HELO_NAME);
        assertThat(mismatch.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(mismatch.message()).contains("whose reverse DNS is other.example.net");

        // given matching forward and reverse DNS
        dns.ptr("203.0.113.8", "mail.example.net").nxdomain("mail.example.net").a("mail.example.net", "203.0.113.8");
        CheckResult helo = check(PreflightCheck.HELO_NAME);
        assertThat(helo.status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void a_listed_egress_address_fails_the_blocklist_check() {
        // given a HELO name with a public address (the loopback egress address says nothing)
        canariesAt("127.0.0.41");
        dns.a("mail.example.net", "203.0.113.7").ptr("203.0.113.7", "mail.example.net");
        CheckResult clean = check(PreflightCheck.BLOCKLISTS);
        assertThat(clean.status()).isEqualTo(CheckStatus.OK);
        assertThat(clean.message()).isEqualTo("The egress address 203.0.113.7 is on none of zen.example.net.");

        // when the blocklist lists it (reversed octets under the zone)
        dns.a("7.113.0.203.zen.example.net", "127.0.0.2");
        CheckResult listed = check(PreflightCheck.BLOCKLISTS);

        // then the check fails
        assertThat(listed.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(listed.message()).contains("203.0.113.7 is listed on zen.example.net (127.0.0.2)");
    }

    @Test
    void checks_that_need_a_disabled_stage_are_skipped() {
        PreflightReport noDns = new Preflight(CANARIES, ZONES, null, smtp(null), MxAddressPolicy.anyAddress(),
                Clock.systemUTC()).run();
        assertThat(noDns.checks()).extracting(CheckResult::status).containsOnly(CheckStatus.SKIPPED);
        assertThat(noDns.network()).isEqualTo(NetworkState.HEALTHY);

        canariesAt("127.0.0.41");
        PreflightReport noSmtp = preflight(null, MxAddressPolicy.anyAddress()).run();
        assertThat(noSmtp.checks()).extracting(CheckResult::status)
                .containsExactly(CheckStatus.OK, CheckStatus.SKIPPED, CheckStatus.SKIPPED, CheckStatus.SKIPPED);
        assertThat(mx.connections()).isZero();
    }

    @Test
    void blocklist_names_reverse_octets_and_nibbles() throws Exception {
        assertThat(Preflight.reversed(InetAddress.getByName("192.0.2.99"))).isEqualTo("99.2.0.192");
        assertThat(Preflight.reversed(InetAddress.getByName("2001:db8::1")))
                .isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2");
        assertThat(Preflight.isPublic(InetAddress.getByName("203.0.113.7"))).isTrue();
        assertThat(Preflight.isPublic(InetAddress.getByName("10.1.2.3"))).isFalse();
        assertThat(Preflight.isPublic(InetAddress.getByName("100.64.0.1"))).isFalse();
    }

    private CheckResult check(PreflightCheck check) {
        return preflight(smtp(null), MxAddressPolicy.anyAddress()).run().result(check);
    }

    private void canariesAt(String ip) {
        for (String canary : CANARIES) {
            dns.mx(canary, 5, "mx." + canary).a("mx." + canary, ip);
        }
    }

    private Preflight preflight(SmtpSettings smtp, MxAddressPolicy policy) {
        DnsSettings settings = DnsSettings.defaults().withServers(List.of(dns.address()))
                .withTimeout(Duration.ofMillis(700));
        return new Preflight(CANARIES, ZONES, settings, smtp, policy, Clock.systemUTC());
    }

    private SmtpSettings smtp(SmtpProxy proxy) {
        return new SmtpSettings(mx.port(), "mail.example.net", "", Duration.ofMillis(500), Duration.ofMillis(500),
                false, 100, 2, 0, new RetryPolicy(1, Duration.ZERO), proxy);
    }

    /** The connections the mail servers accepted from {@code client}, waiting up to two seconds for {@code expected}. */
    private int connectionsFrom(java.net.InetAddress client, int expected) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (mx.connectionsFrom(client) < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return mx.connectionsFrom(client);
    }
}
