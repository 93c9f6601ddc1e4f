package dev.sluice.core.verify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.testing.TestSocks5Server;
import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.smtp.SmtpTranscript.Direction;
import dev.sluice.core.verify.smtp.SmtpTranscript.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link SocketSmtpProber} writes to a {@link SmtpTranscript}, against SMTP and SOCKS5 servers on loopback. */
class SmtpTranscriptTest {

    private static final String DOMAIN = "example.test";
    private static final String ANN = "ann@example.test";
    private static final String BOB = "bob@example.test";

    private final List<AutoCloseable> peers = new ArrayList<>();

    @AfterEach
    void stop_peers() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    @Test
    void the_transcript_holds_every_command_and_reply_line_in_order_with_timings() {
        // given
        TestSmtpServer mx = peer(TestSmtpServer.start(Behavior.onlyMailboxes(ANN)));
        SmtpTranscript transcript = new SmtpTranscript();

        // when
        DomainProbe probe = prober(mx.port(), null, 1)
                .probe(DOMAIN, null, List.of(mx.mx(10)), List.of(ANN, BOB), transcript);

        // then
        assertThat(probe.results().get(ANN).outcome()).isEqualTo(RcptOutcome.ACCEPTED);
        assertThat(transcript.connections()).hasSize(1);
        SmtpTranscript.Connection connection = transcript.connections().getFirst();
        assertThat(connection.mxAddress()).isEqualTo("127.0.0.1");
        assertThat(connection.port()).isEqualTo(mx.port());
        assertThat(connection.proxy()).isNull();
        assertThat(connection.failure()).isNull();
        List<String> sent = texts(connection, Direction.SENT);
        assertThat(sent).containsExactly("EHLO verifier.sluice.test", "MAIL FROM:<bounces@sluice.test>",
                "RCPT TO:<" + transcript.probeAddress() + ">", "RCPT TO:<" + ANN + ">", "RCPT TO:<" + BOB + ">",
                "QUIT");
        List<Line> lines = connection.lines();
        assertThat(lines.getFirst().direction()).isEqualTo(Direction.RECEIVED);
        assertThat(lines.getFirst().text()).startsWith("220");
        assertThat(texts(connection, Direction.RECEIVED)).anyMatch(line -> line.startsWith("250"))
                .anyMatch(line -> line.startsWith("550"));
        assertThat(lines).extracting(Line::atMs).isSorted().allMatch(ms -> ms >= 0);
        // each address is linked to the connection that asked about it (and ran the catch-all probe)
        assertThat(connection.asked(ANN)).isTrue();
        assertThat(transcript.behind(ANN)).containsExactly(connection);
    }

    @Test
    void a_greylisted_address_is_behind_both_connections_that_asked_about_it() {
        // given
        TestSmtpServer mx = peer(TestSmtpServer.start(Behavior.onlyMailboxes(ANN).greylisting(1)));
        SmtpTranscript transcript = new SmtpTranscript();
        SmtpSettings settings = settings(mx.port(), null, 2);

        // when
        new SocketSmtpProber(settings, MxAddressPolicy.anyAddress())
                .probe(DOMAIN, null, List.of(mx.mx(10)), List.of(ANN), transcript);

        // then
        assertThat(transcript.connections()).hasSize(2);
        assertThat(transcript.behind(ANN)).containsExactlyElementsOf(transcript.connections());
        assertThat(texts(transcript.connections().getFirst(), Direction.RECEIVED))
                .anyMatch(line -> line.startsWith("45"));
    }

    @Test
    void an_unreachable_mail_server_leaves_a_connection_with_its_failure_and_no_lines() {
        // given: an MX address nobody listens on (a loopback address no test server binds)
        TestSmtpServer live = peer(TestSmtpServer.start(Behavior.acceptAll()));
        MxHost nobody = new MxHost("mx.nobody.test", 10, List.of(TestSmtpServer.loopback(254)));
        SmtpTranscript transcript = new SmtpTranscript();

        // when
        prober(live.port(), null, 1).probe(DOMAIN, null, List.of(nobody), List.of(ANN), transcript);

        // then: the address was never asked, so the failed connection is what decided it
        assertThat(transcript.connections()).singleElement().satisfies(connection -> {
            assertThat(connection.lines()).isEmpty();
            assertThat(connection.failure()).startsWith("could not connect");
        });
        assertThat(transcript.behind(ANN)).hasSize(1);
    }

    @Test
    void a_proxy_with_a_password_is_noted_as_host_and_port_and_its_password_is_nowhere() {
        // given
        String password = "tr4nscript-pr0xy-secret";
        TestSmtpServer mx = peer(TestSmtpServer.start(Behavior.acceptAll()));
        TestSocks5Server proxy = peer(TestSocks5Server.start("sluice", password));
        SmtpProxy settingsProxy = SmtpProxy.parse("socks5://sluice:" + password + "@127.0.0.1:" + proxy.port());
        TestSocks5Server refusing = peer(TestSocks5Server.start("sluice", "another"));
        SmtpProxy wrongPassword = SmtpProxy.parse("socks5://sluice:" + password + "@127.0.0.1:" + refusing.port());
        SmtpTranscript through = new SmtpTranscript();
        SmtpTranscript refused = new SmtpTranscript();

        // when
        prober(mx.port(), settingsProxy, 1).probe(DOMAIN, null, List.of(mx.mx(10)), List.of(ANN), through);
        prober(mx.port(), wrongPassword, 1).probe(DOMAIN, null, List.of(mx.mx(10)), List.of(ANN), refused);

        // then
        assertThat(proxy.connects()).isEqualTo(1);
        assertThat(through.connections()).singleElement().satisfies(connection -> {
            assertThat(connection.proxy()).isEqualTo("127.0.0.1:" + proxy.port());
            assertThat(texts(connection, Direction.SENT)).contains("RCPT TO:<" + ANN + ">");
        });
        assertThat(refused.connections()).singleElement().satisfies(connection ->
                assertThat(connection.failure()).isEqualTo("the SOCKS5 proxy failed or refused the connection"));
        for (SmtpTranscript transcript : List.of(through, refused)) {
            for (SmtpTranscript.Connection connection : transcript.connections()) {
                assertThat(connection.proxy()).doesNotContain(password).doesNotContain("sluice");
                assertThat(connection.failure() == null ? "" : connection.failure()).doesNotContain(password);
                assertThat(connection.lines()).extracting(Line::text).noneMatch(text -> text.contains(password));
            }
        }
    }

    private static List<String> texts(SmtpTranscript.Connection connection, Direction direction) {
        return connection.lines().stream().filter(line -> line.direction() == direction).map(Line::text).toList();
    }

    private <T extends AutoCloseable> T peer(T peer) {
        peers.add(peer);
        return peer;
    }

    private static SocketSmtpProber prober(int port, SmtpProxy proxy, int attempts) {
        return new SocketSmtpProber(settings(port, proxy, attempts), MxAddressPolicy.anyAddress());
    }

    private static SmtpSettings settings(int port, SmtpProxy proxy, int attempts) {
        return new SmtpSettings(port, "verifier.sluice.test", "bounces@sluice.test", Duration.ofSeconds(1),
                Duration.ofSeconds(2), false, 1000, 2, 0, new RetryPolicy(attempts, Duration.ZERO), proxy);
    }
}
