package dev.sluice.core.verify.smtp;

import static dev.sluice.core.testing.TestSmtpServer.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSocks5Server;
import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.verify.dns.MxHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocketSmtpProberTest {

    private static final String DOMAIN = "example.test";
    private static final String ANN = "ann@example.test";
    private static final String BOB = "bob@example.test";
    private static final String CAT = "cat@example.test";

    private final List<TestSmtpServer> servers = new java.util.ArrayList<>();
    private final List<TestSocks5Server> proxies = new java.util.ArrayList<>();

    @AfterEach
    void stop_servers() {
        servers.forEach(TestSmtpServer::close);
        proxies.forEach(TestSocks5Server::close);
    }

    @Test
    void every_connection_goes_through_the_socks5_proxy_which_is_given_the_mx_address() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN).greylisting(1));
        TestSocks5Server proxy = proxy(TestSocks5Server.start());
        SettingsBuilder settings = settings(mx).retry(new RetryPolicy(2, Duration.ZERO))
                .proxy(SmtpProxy.parse("socks5://127.0.0.1:" + proxy.port()));

        // when
        DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then: the greylisting answer makes a second connection, and the catch-all probe rides on both
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(probe.results().get(BOB).outcome()).isEqualTo(RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(probe.catchAll()).isFalse();
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.connectionsFrom(proxy.egressAddress())).isEqualTo(mx.connections());
        assertThat(proxy.connects()).isEqualTo(2);
        assertThat(proxy.addressTypes()).containsOnly(1);
        assertThat(proxy.destinations()).containsOnly("127.0.0.1:" + mx.port());
    }

    @Test
    void a_providers_route_sends_its_domains_through_another_proxy_or_directly() {
        // given a default proxy, another one with a password for microsoft, and yahoo sent directly
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN));
        TestSocks5Server fallback = proxy(TestSocks5Server.start());
        TestSocks5Server egress = proxy(TestSocks5Server.start("ms", "route-s3cret").egressFrom(loopback(201)));
        SocketSmtpProber prober = prober(settings(mx)
                .proxy(SmtpProxy.parse("socks5://127.0.0.1:" + fallback.port()))
                .route("microsoft", SmtpRoute.parse("socks5://ms:route-s3cret@127.0.0.1:" + egress.port()))
                .route("yahoo", SmtpRoute.parse("direct")));
        Provider microsoft = new Provider("microsoft", 3, 60, false);
        Provider yahoo = new Provider("yahoo", 2, 30, true);
        Provider google = new Provider("google", 5, 120, false);

        // when a domain of each provider, and one of no known provider, is probed
        DomainProbe routed = prober.probe(DOMAIN, microsoft, List.of(mx.mx(10)), List.of(ANN));
        prober.probe(DOMAIN, google, List.of(mx.mx(10)), List.of(ANN));
        prober.probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));
        DomainProbe direct = prober.probe(DOMAIN, yahoo, List.of(mx.mx(10)), List.of(ANN));

        // then microsoft's connection came through its own proxy, the next two through the default, yahoo's directly
        assertThat(routed.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(direct.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(mx.connections()).isEqualTo(4);
        assertThat(egress.connects()).isEqualTo(1);
        assertThat(egress.refusedLogins()).isZero();
        assertThat(mx.connectionsFrom(egress.egressAddress())).isEqualTo(1);
        assertThat(fallback.connects()).isEqualTo(2);
        assertThat(mx.connectionsFrom(fallback.egressAddress())).isEqualTo(2);
        assertThat(mx.connectionsFrom(mx.address())).isEqualTo(1);
    }

    @Test
    void a_route_shows_no_password_and_a_malformed_one_is_refused_without_repeating_it() {
        SmtpRoute route = SmtpRoute.parse("socks5://ms:route-s3cret@127.0.0.1:1080");

        assertThat(route).hasToString("socks5://ms:***@127.0.0.1:1080");
        assertThat(SmtpRoute.parse(" Direct ")).isEqualTo(SmtpRoute.DIRECT);
        assertThat(settings(server(Behavior.acceptAll())).route("microsoft", route).build().toString())
                .doesNotContain("route-s3cret");
        assertThatThrownBy(() -> SmtpRoute.parse("socks5://ms:route-s3cret@127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("route-s3cret");
    }

    @Test
    void a_proxy_with_username_and_password_relays_every_connection_after_authenticating() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());
        TestSmtpServer mx2 = mx.startSibling(loopback(2), Behavior.acceptAll());
        servers.add(mx2);
        TestSocks5Server proxy = proxy(TestSocks5Server.start("sluice", "pa:ss@word"));
        SettingsBuilder settings = settings(mx).recipientsPerConnection(1)
                .proxy(SmtpProxy.parse("socks5://sluice:pa%3Ass%40word@127.0.0.1:" + proxy.port()));

        // when
        DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10), mx2.mx(20)), List.of(ANN, BOB, CAT));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome).containsOnly(RcptOutcome.ACCEPTED);
        assertThat(proxy.refusedLogins()).isZero();
        assertThat(proxy.connects()).isEqualTo(probe.connections()).isEqualTo(mx.connections()).isGreaterThan(1);
        assertThat(mx.connectionsFrom(proxy.egressAddress())).isEqualTo(mx.connections());
        assertThat(mx2.connections()).isZero();
    }

    @Test
    void a_proxy_that_refuses_the_password_makes_every_recipient_proxy_failed_without_reaching_the_mx() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());
        TestSocks5Server proxy = proxy(TestSocks5Server.start("sluice", "right-password"));
        SettingsBuilder settings = settings(mx)
                .proxy(SmtpProxy.parse("socks5://sluice:wrong-password@127.0.0.1:" + proxy.port()));

        // when
        DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.PROXY_FAILED, RcptOutcome.PROXY_FAILED);
        assertThat(probe.results().get(ANN).reply()).contains("refused the user name and password")
                .doesNotContain("wrong-password");
        assertThat(probe.catchAll()).isNull();
        assertThat(proxy.refusedLogins()).isEqualTo(1);
        assertThat(mx.connections()).isZero();
    }

    @Test
    void a_proxy_that_reports_the_mx_unreachable_makes_the_recipients_unreachable_as_without_a_proxy()
            throws IOException {
        // given: the MX port is bound but not listening, so the proxy's own connect is refused (REP 5). Held bound
        // for the whole test: a port merely closed could be taken again, by a server or as the local port of the
        // proxy's own connect, which then reached itself (TCP's self-connect) and answered no SMTP
        TestSmtpServer mx = server(Behavior.acceptAll());
        TestSocks5Server proxy = proxy(TestSocks5Server.start());
        try (Socket closed = new Socket()) {
            closed.bind(new InetSocketAddress(mx.address(), 0));
            SettingsBuilder settings = new SettingsBuilder().port(closed.getLocalPort())
                    .proxy(SmtpProxy.parse("socks5://127.0.0.1:" + proxy.port()));

            // when
            DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

            // then
            RcptResult ann = probe.results().get(ANN);
            assertThat(ann.outcome()).isEqualTo(RcptOutcome.UNREACHABLE);
            assertThat(ann.reply()).contains("connection refused");
            assertThat(proxy.connects()).isZero();
            assertThat(mx.connections()).isZero();
        }
    }

    @Test
    void a_proxy_that_does_not_answer_the_connect_within_the_connect_timeout_makes_the_mx_unreachable() {
        // given: the proxy never answers the CONNECT to the MX (its own connection hangs)
        TestSmtpServer mx = server(Behavior.acceptAll());
        TestSocks5Server proxy = proxy(TestSocks5Server.start().silentFor(mx.address()));
        SettingsBuilder settings = settings(mx).proxy(SmtpProxy.parse("socks5://127.0.0.1:" + proxy.port()));

        // when
        DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        RcptResult ann = probe.results().get(ANN);
        assertThat(ann.outcome()).isEqualTo(RcptOutcome.UNREACHABLE);
        assertThat(ann.reply()).contains("not connected within 1000 ms");
        assertThat(mx.connections()).isZero();
    }

    @Test
    void a_proxy_that_refuses_the_connect_by_its_rules_makes_the_recipients_proxy_failed() {
        // given: the proxy answers REP 2 for the first MX, relays the second
        TestSmtpServer mx = server(Behavior.acceptAll());
        TestSmtpServer mx2 = mx.startSibling(loopback(2), Behavior.acceptAll());
        servers.add(mx2);
        TestSocks5Server proxy = proxy(TestSocks5Server.start().refuse(mx.address()).refuse(mx2.address()));
        SettingsBuilder settings = settings(mx).proxy(SmtpProxy.parse("socks5://127.0.0.1:" + proxy.port()));

        // when
        DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10), mx2.mx(20)), List.of(ANN));

        // then
        RcptResult ann = probe.results().get(ANN);
        assertThat(ann.outcome()).isEqualTo(RcptOutcome.PROXY_FAILED);
        assertThat(ann.reply()).contains("not allowed by its rules");
        assertThat(mx.connections() + mx2.connections()).isZero();
    }

    @Test
    void an_ipv6_mx_address_is_given_to_the_proxy_as_an_ipv6_address() throws Exception {
        // given: an MX on ::1
        TestSmtpServer mx = server(Behavior.acceptAll());
        TestSmtpServer mx6 = TestSmtpServer.start(InetAddress.getByName("::1"), mx.port(), Behavior.acceptAll());
        servers.add(mx6);
        TestSocks5Server proxy = proxy(TestSocks5Server.start());
        SettingsBuilder settings = settings(mx).proxy(SmtpProxy.parse("socks5://127.0.0.1:" + proxy.port()));

        // when
        DomainProbe probe = prober(settings).probe(DOMAIN, List.of(mx6.mx(10)), List.of(ANN));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(proxy.addressTypes()).containsOnly(4);
        assertThat(mx6.connections()).isEqualTo(1);
    }

    @Test
    void a_proxy_that_is_not_listening_makes_the_recipients_proxy_failed_not_unreachable() throws IOException {
        // given: nothing listens on the proxy port. A socket bound to it without listening holds it, so no server
        // started meanwhile can be given it (once one was, when the port was taken from a closed proxy).
        TestSmtpServer mx = server(Behavior.acceptAll());
        DomainProbe probe;
        int proxyPort;
        try (java.net.Socket held = new java.net.Socket()) {
            held.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            proxyPort = held.getLocalPort();
            SettingsBuilder settings = settings(mx)
                    .proxy(SmtpProxy.parse("socks5://user:hunter2@127.0.0.1:" + proxyPort));

            // when
            probe = prober(settings).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));
        }

        // then
        RcptResult ann = probe.results().get(ANN);
        assertThat(ann.outcome()).isEqualTo(RcptOutcome.PROXY_FAILED);
        assertThat(ann.reply()).contains("socks5://user:***@127.0.0.1:" + proxyPort).doesNotContain("hunter2");
        assertThat(mx.connections()).isZero();
    }

    @Test
    void accepted_recipients_are_accepted_on_one_connection() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.ACCEPTED);
        assertThat(probe.results().get(ANN)).isEqualTo(new RcptResult(ANN, RcptOutcome.ACCEPTED, 250, "2.1.5 Ok"));
        assertThat(probe.connections()).isEqualTo(1);
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.rcptCommands()).isEqualTo(3);
        assertThat(mx.attempts(ANN)).isEqualTo(1);
        assertThat(mx.commands("EHLO")).isEqualTo(1);
        assertThat(mx.commands("HELO")).isZero();
        assertThat(mx.commands("QUIT")).isEqualTo(1);
    }

    @Test
    void unknown_user_answered_550_5_1_1_is_mailbox_not_found() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN));

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        RcptResult bob = probe.results().get(BOB);
        assertThat(bob.outcome()).isEqualTo(RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(bob.code()).isEqualTo(550);
        assertThat(bob.reply()).startsWith("5.1.1");
    }

    @Test
    void accepted_probe_marks_the_domain_catch_all() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.catchAll()).isTrue();
        assertThat(mx.recipientsSeen()).hasSize(2);
        assertThat(mx.recipientsSeen().get(0)).matches("sluice-probe-[a-z0-9]{12}@example\\.test");
        assertThat(mx.recipientsSeen().get(1)).isEqualTo(ANN);
    }

    @Test
    void rejected_probe_marks_the_domain_not_catch_all() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN));

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.catchAll()).isFalse();
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
    }

    @Test
    void probe_with_a_temporary_answer_leaves_catch_all_unknown() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().greylisting());

        // when
        DomainProbe probe = prober(settings(mx).retry(new RetryPolicy(1, Duration.ZERO)))
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.catchAll()).isNull();
        assertThat(probe.results().get(ANN)).isEqualTo(new RcptResult(ANN, RcptOutcome.GREYLISTED, 451,
                "4.7.1 <ann@example.test>: Recipient address rejected: Greylisted, try again later"));
    }

    @Test
    void greylisted_recipient_is_retried_on_a_new_connection_and_accepted() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN, BOB).greylisting());

        // when
        DomainProbe probe = prober(settings(mx).retry(new RetryPolicy(3, Duration.ofMillis(50))))
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.ACCEPTED);
        assertThat(probe.catchAll()).isFalse();
        assertThat(probe.connections()).isEqualTo(2);
        assertThat(mx.attempts(ANN)).isEqualTo(2);
        assertThat(mx.attempts(BOB)).isEqualTo(2);
        assertThat(mx.rcptCommands()).isEqualTo(6);
    }

    @Test
    void only_recipients_with_a_temporary_answer_are_retried() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN, BOB).greylisting().mailboxFull(BOB));

        // when
        DomainProbe probe = prober(settings(mx).retry(new RetryPolicy(3, Duration.ofMillis(50))))
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB, CAT));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.MAILBOX_FULL, RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(mx.attempts(ANN)).isEqualTo(2);
        assertThat(mx.attempts(BOB)).isEqualTo(1);
        assertThat(mx.attempts(CAT)).isEqualTo(2);
    }

    @Test
    void recipient_still_greylisted_after_the_last_attempt_is_greylisted() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().greylisting(10));
        List<Duration> pauses = new java.util.ArrayList<>();

        // when
        DomainProbe probe = new SocketSmtpProber(settings(mx).retry(new RetryPolicy(3, Duration.ofMillis(50))).build(),
                MxAddressPolicy.anyAddress(), pauses::add).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.GREYLISTED);
        assertThat(probe.results().get(ANN).code()).isEqualTo(451);
        assertThat(probe.catchAll()).isNull();
        assertThat(probe.connections()).isEqualTo(3);
        assertThat(mx.attempts(ANN)).isEqualTo(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(50));
    }

    @Test
    void reply_slower_than_the_read_timeout_is_a_timeout_and_the_rest_are_asked_on_a_new_connection() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().slowRecipient(BOB, Duration.ofMillis(1500)));

        // when
        DomainProbe probe = prober(settings(mx).readTimeout(Duration.ofMillis(300)))
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB, CAT));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.TIMEOUT, RcptOutcome.ACCEPTED);
        assertThat(probe.results().get(BOB).code()).isZero();
        assertThat(probe.connections()).isEqualTo(2);
        assertThat(mx.attempts(BOB)).isEqualTo(1);
        assertThat(mx.attempts(CAT)).isEqualTo(1);
    }

    @Test
    void server_that_never_greets_within_the_read_timeout_is_a_timeout_for_everyone() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().replyDelay(Duration.ofMillis(1500)));

        // when
        DomainProbe probe = prober(settings(mx).readTimeout(Duration.ofMillis(300)))
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.TIMEOUT, RcptOutcome.TIMEOUT);
        assertThat(probe.results().get(ANN).reply()).contains("no reply within 300 ms");
        assertThat(probe.catchAll()).isNull();
        assertThat(probe.connections()).isEqualTo(1);
        assertThat(mx.rcptCommands()).isZero();
    }

    @Test
    void second_timeout_on_the_same_host_makes_all_remaining_recipients_time_out() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll()
                .slowRecipient(ANN, Duration.ofMillis(1500))
                .slowRecipient(BOB, Duration.ofMillis(1500)));

        // when
        DomainProbe probe = prober(settings(mx).readTimeout(Duration.ofMillis(300)))
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB, CAT));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.TIMEOUT, RcptOutcome.TIMEOUT, RcptOutcome.TIMEOUT);
        assertThat(probe.connections()).isEqualTo(2);
        assertThat(mx.attempts(CAT)).isZero();
    }

    @Test
    void dropped_connection_is_a_protocol_error_for_that_recipient_and_the_others_are_still_answered() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN, BOB).dropConnectionAt(BOB));

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB, CAT));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.PROTOCOL_ERROR, RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(probe.results().get(BOB).reply()).contains("connection closed");
        assertThat(probe.connections()).isEqualTo(2);
        assertThat(mx.attempts(BOB)).isEqualTo(1);
        assertThat(mx.attempts(CAT)).isEqualTo(1);
    }

    @Test
    void mailbox_full_answered_552_is_mailbox_full() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().mailboxFull(BOB));

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(BOB));

        // then
        assertThat(probe.results().get(BOB)).isEqualTo(new RcptResult(BOB, RcptOutcome.MAILBOX_FULL, 552,
                "5.2.2 <bob@example.test>: Mailbox full"));
    }

    @Test
    void busy_banner_on_the_first_mx_falls_over_to_the_second() {
        // given
        TestSmtpServer busy = server(Behavior.acceptAll().busyAtBanner());
        TestSmtpServer backup = sibling(busy, 2, Behavior.onlyMailboxes(ANN));

        // when
        DomainProbe probe = prober(settings(busy)).probe(DOMAIN, List.of(backup.mx(20), busy.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(probe.connections()).isEqualTo(2);
        assertThat(busy.connections()).isEqualTo(1);
        assertThat(busy.rcptCommands()).isZero();
        assertThat(backup.connections()).isEqualTo(1);
        assertThat(backup.rcptCommands()).isEqualTo(3);
    }

    @Test
    void all_mx_busy_is_a_temporary_failure_after_the_retries() {
        // given
        TestSmtpServer first = server(Behavior.acceptAll().busyAtBanner());
        TestSmtpServer second = sibling(first, 2, Behavior.acceptAll().busyAtBanner());

        // when
        DomainProbe probe = prober(settings(first).retry(new RetryPolicy(2, Duration.ofMillis(10))))
                .probe(DOMAIN, List.of(first.mx(10), second.mx(20)), List.of(ANN));

        // then
        RcptResult ann = probe.results().get(ANN);
        assertThat(ann.outcome()).isEqualTo(RcptOutcome.TEMPORARY_FAILURE);
        assertThat(ann.code()).isEqualTo(421);
        assertThat(ann.reply()).contains("4.3.2");
        assertThat(probe.connections()).isEqualTo(4);
        assertThat(first.connections()).isEqualTo(2);
        assertThat(second.connections()).isEqualTo(2);
    }

    @Test
    void all_mx_refusing_connections_makes_every_recipient_unreachable() {
        // given a port that is open on 127.0.0.1 only, and MX hosts on addresses where nothing listens
        TestSmtpServer portHolder = server(Behavior.acceptAll());
        List<MxHost> mxHosts = List.of(new MxHost("mx1.example.test", 10, List.of(loopback(3))),
                new MxHost("mx2.example.test", 20, List.of(loopback(4))));

        // when
        DomainProbe probe = prober(settings(portHolder).retry(new RetryPolicy(3, Duration.ofMillis(10))))
                .probe(DOMAIN, mxHosts, List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.UNREACHABLE, RcptOutcome.UNREACHABLE);
        assertThat(probe.results().get(ANN).code()).isZero();
        assertThat(probe.results().get(ANN).reply()).contains("mx2.example.test");
        assertThat(probe.catchAll()).isNull();
        assertThat(probe.connections()).isZero();
        assertThat(portHolder.connections()).isZero();
    }

    @Test
    void domain_without_mx_addresses_is_unreachable() {
        // when
        DomainProbe probe = prober(new SettingsBuilder()).probe(DOMAIN, List.of(), List.of(ANN));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.UNREACHABLE);
        assertThat(probe.connections()).isZero();
    }

    @Test
    void refused_ehlo_falls_back_to_helo() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN).refuseEhlo());

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(mx.commands("EHLO")).isEqualTo(1);
        assertThat(mx.commands("HELO")).isEqualTo(1);
        assertThat(probe.connections()).isEqualTo(1);
    }

    @Test
    void hundred_recipients_share_one_connection_with_rset_every_fifty_rcpts() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());
        List<String> recipients = recipients(100);

        // when
        DomainProbe probe = prober(settings(mx).recipientsPerConnection(1000)).probe(DOMAIN, List.of(mx.mx(10)), recipients);

        // then
        assertThat(probe.results()).hasSize(100);
        assertThat(probe.results().values()).allMatch(r -> r.outcome() == RcptOutcome.ACCEPTED);
        assertThat(probe.connections()).isEqualTo(1);
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(mx.rcptCommands()).isEqualTo(101);
        // probe + 49, then 50, then 1: two RSETs, three transactions
        assertThat(mx.commands("RSET")).isEqualTo(2);
        assertThat(mx.commands("MAIL")).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} recipients per connection -> {1} connections")
    @CsvSource({"1, 100", "7, 15", "10, 10", "50, 2", "100, 1"})
    void recipients_per_connection_bounds_the_rcpts_on_each_connection(int perConnection, int expectedConnections) {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());

        // when
        DomainProbe probe = prober(settings(mx).recipientsPerConnection(perConnection))
                .probe(DOMAIN, List.of(mx.mx(10)), recipients(100));

        // then
        assertThat(probe.results().values()).allMatch(r -> r.outcome() == RcptOutcome.ACCEPTED);
        assertThat(probe.connections()).isEqualTo(expectedConnections);
        assertThat(mx.connections()).isEqualTo(expectedConnections);
        assertThat(mx.rcptCommands()).isEqualTo(101);
    }

    @Test
    void one_connection_per_domain_holds_across_concurrent_probes() throws Exception {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().replyDelay(Duration.ofMillis(2)));
        SocketSmtpProber prober = prober(settings(mx).recipientsPerConnection(5).connectionsPerDomain(1));

        // when
        List<DomainProbe> probes;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<DomainProbe> first = executor.submit(() -> prober.probe(DOMAIN, List.of(mx.mx(10)), recipients(20)));
            Future<DomainProbe> second = executor.submit(() -> prober.probe(DOMAIN, List.of(mx.mx(10)), recipients(20)));
            probes = List.of(first.get(), second.get());
        }

        // then
        assertThat(probes).allMatch(p -> p.connections() == 4);
        assertThat(mx.connections()).isEqualTo(8);
        assertThat(mx.maxOpenConnections()).isEqualTo(1);
    }

    @Test
    void starttls_disabled_never_sends_starttls_even_when_offered() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().advertiseStartTls());

        // when
        DomainProbe probe = prober(settings(mx).startTls(false)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(mx.commands("STARTTLS")).isZero();
    }

    @Test
    void starttls_declined_by_the_server_carries_on_in_plain_text() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll().advertiseStartTls());

        // when
        DomainProbe probe = prober(settings(mx).startTls(true)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(mx.commands("STARTTLS")).isEqualTo(1);
        assertThat(mx.commands("EHLO")).isEqualTo(1);
        assertThat(probe.connections()).isEqualTo(1);
    }

    @Test
    void failed_tls_handshake_reconnects_in_plain_text_without_starttls() {
        // given
        TestSmtpServer mx = server(Behavior.onlyMailboxes(ANN).brokenStartTls());

        // when
        DomainProbe probe = prober(settings(mx).startTls(true)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ACCEPTED, RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(probe.connections()).isEqualTo(2);
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.commands("STARTTLS")).isEqualTo(1);
        assertThat(mx.commands("EHLO")).isEqualTo(2);
    }

    @Test
    void starttls_enabled_is_not_sent_when_not_offered() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());

        // when
        DomainProbe probe = prober(settings(mx).startTls(true)).probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(mx.commands("STARTTLS")).isZero();
    }

    @Test
    void duplicate_recipients_are_asked_once_and_results_keep_the_input_order() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of(CAT, ANN, CAT));

        // then
        assertThat(probe.results().keySet()).containsExactly(CAT, ANN);
        assertThat(mx.attempts(CAT)).isEqualTo(1);
    }

    @Test
    void no_recipients_opens_no_connection() {
        // given
        TestSmtpServer mx = server(Behavior.acceptAll());

        // when
        DomainProbe probe = prober(settings(mx)).probe(DOMAIN, List.of(mx.mx(10)), List.of());

        // then
        assertThat(probe).isEqualTo(new DomainProbe(DOMAIN, null, java.util.Map.of(), 0));
        assertThat(mx.connections()).isZero();
    }

    @Test
    void a_domain_whose_every_mx_address_is_refused_gets_address_not_allowed_without_a_connection() {
        // given a listening mail server whose address the policy refuses
        TestSmtpServer mx = server(Behavior.acceptAll());
        List<InetAddress> asked = new java.util.ArrayList<>();
        MxAddressPolicy refuseAll = (host, address) -> {
            asked.add(address);
            return false;
        };

        // when
        DomainProbe probe = new SocketSmtpProber(settings(mx).build(), refuseAll)
                .probe(DOMAIN, List.of(mx.mx(10)), List.of(ANN, BOB));

        // then every recipient is refused and nothing reached the server
        assertThat(probe.results().values()).extracting(RcptResult::outcome)
                .containsExactly(RcptOutcome.ADDRESS_NOT_ALLOWED, RcptOutcome.ADDRESS_NOT_ALLOWED);
        assertThat(probe.results().get(ANN).reply()).isEqualTo("the mail server's address is not allowed");
        assertThat(probe.catchAll()).isNull();
        assertThat(probe.connections()).isZero();
        assertThat(mx.connections()).isZero();
        assertThat(asked).containsExactlyElementsOf(mx.mx(10).addresses());
    }

    @Test
    void a_refused_mx_address_is_skipped_and_the_next_allowed_one_is_asked() {
        // given the preferred MX on an address the policy refuses, a second one it allows
        TestSmtpServer refused = server(Behavior.acceptAll());
        TestSmtpServer allowed = sibling(refused, 12, Behavior.onlyMailboxes(ANN));
        InetAddress refusedAddress = refused.mx(5).addresses().getFirst();
        MxAddressPolicy policy = (host, address) -> !address.equals(refusedAddress);

        // when
        DomainProbe probe = new SocketSmtpProber(settings(refused).build(), policy)
                .probe(DOMAIN, List.of(refused.mx(5), allowed.mx(10)), List.of(ANN, BOB));

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(probe.results().get(BOB).outcome()).isEqualTo(RcptOutcome.MAILBOX_NOT_FOUND);
        assertThat(refused.connections()).isZero();
        assertThat(allowed.connections()).isEqualTo(1);
    }

    @Test
    void addresses_are_masked_for_logs() {
        assertThat(SocketSmtpProber.mask("john@example.com")).isEqualTo("j***@example.com");
        assertThat(SocketSmtpProber.mask("nonsense")).isEqualTo("***");
    }

    private TestSmtpServer server(Behavior behavior) {
        TestSmtpServer server = TestSmtpServer.start(behavior);
        servers.add(server);
        return server;
    }

    private TestSmtpServer sibling(TestSmtpServer of, int lastOctet, Behavior behavior) {
        TestSmtpServer server = of.startSibling(loopback(lastOctet), behavior);
        servers.add(server);
        return server;
    }

    private static List<String> recipients(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "user" + i + "@" + DOMAIN).toList();
    }

    private TestSocks5Server proxy(TestSocks5Server proxy) {
        proxies.add(proxy);
        return proxy;
    }

    private static SocketSmtpProber prober(SettingsBuilder settings) {
        return new SocketSmtpProber(settings.build(), MxAddressPolicy.anyAddress());
    }

    private static SettingsBuilder settings(TestSmtpServer server) {
        return new SettingsBuilder().port(server.port());
    }

    /** Settings for loopback tests: short timeouts, no retry, one connection per domain unless told. */
    private static final class SettingsBuilder {
        private int port = 25;
        private Duration readTimeout = Duration.ofSeconds(2);
        private boolean startTls;
        private int recipientsPerConnection = 1000;
        private int connectionsPerDomain = 2;
        private RetryPolicy retry = new RetryPolicy(1, Duration.ZERO);
        private SmtpProxy proxy;
        private final java.util.Map<String, SmtpRoute> routes = new java.util.HashMap<>();

        SettingsBuilder proxy(SmtpProxy value) {
            proxy = value;
            return this;
        }

        SettingsBuilder route(String provider, SmtpRoute value) {
            routes.put(provider, value);
            return this;
        }

        SettingsBuilder port(int value) {
            port = value;
            return this;
        }

        SettingsBuilder readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        SettingsBuilder startTls(boolean value) {
            startTls = value;
            return this;
        }

        SettingsBuilder recipientsPerConnection(int value) {
            recipientsPerConnection = value;
            return this;
        }

        SettingsBuilder connectionsPerDomain(int value) {
            connectionsPerDomain = value;
            return this;
        }

        SettingsBuilder retry(RetryPolicy value) {
            retry = value;
            return this;
        }

        SmtpSettings build() {
            return new SmtpSettings(port, "verifier.sluice.test", "bounces@sluice.test", Duration.ofSeconds(1),
                    readTimeout, startTls, recipientsPerConnection, connectionsPerDomain, 0, retry, proxy, routes);
        }
    }
}
