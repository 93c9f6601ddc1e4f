package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.testing.TestSocks5Server;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every verdict and reason of the verification engine, produced end to end through a job: a DNS
 * responder speaking the DNS wire protocol and SMTP servers behaving like real ones, all on loopback. Every
 * SMTP connection goes through a SOCKS5 proxy with a user name and password ({@code sluice.verify.smtp.proxy}),
 * which refuses to connect to one MX ({@code proxy_failed}), except the connections to the provider "gateway",
 * which have a route through a second proxy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class VerificationEndToEndTest {

    static final String KEY = "sk_test_verify_e2e";

    // result columns: id, email, sluice_row, sluice_status, sluice_reason, sluice_email, sluice_role,
    // sluice_disposable, sluice_free, sluice_suggestion, sluice_cached, sluice_provider, sluice_score,
    // sluice_safe_to_send
    static final int STATUS = 3;
    static final int REASON = 4;
    static final int ROLE = 6;
    static final int DISPOSABLE = 7;
    static final int FREE = 8;
    static final int SUGGESTION = 9;
    static final int CACHED = 10;
    static final int PROVIDER = 11;
    static final int SCORE = 12;
    static final int SAFE_TO_SEND = 13;

    @TempDir
    static Path dataDir;

    static final DnsResponder dns = DnsResponder.start();
    static final TestSmtpServer mailboxes;
    static final TestSmtpServer catchAll;
    static final TestSmtpServer greylist;
    static final TestSmtpServer greylistForever;
    static final TestSmtpServer slow;
    static final TestSmtpServer drop;
    static final TestSmtpServer busy;
    /** Listens on an address the SMTP stage is not allowed to reach: must never see a connection. */
    static final TestSmtpServer internal;
    static final String PROXY_PASSWORD = "e2e-proxy-s3cret";
    /** Every SMTP connection goes through it; it refuses (REP 2) the MX of proxyrefused.example.net. */
    static final TestSocks5Server proxy = TestSocks5Server.start("sluice", PROXY_PASSWORD)
            .refuse(TestSmtpServer.loopback(11));
    static final String ROUTE_PASSWORD = "e2e-route-s3cret";
    /** The route of the provider "gateway" (the catch-all peer): its connections come through this one. */
    static final TestSocks5Server gatewayProxy = TestSocks5Server.start("gw", ROUTE_PASSWORD)
            .egressFrom(TestSmtpServer.loopback(201));

    static {
        mailboxes = TestSmtpServer.start(TestSmtpServer.loopback(2), 0,
                Behavior.onlyMailboxes("ann@mailboxes.example.net", "admin@mailboxes.example.net", "full@mailboxes.example.net",
                        "carl@aonly.example.net", "gus@free-provider.example.net", "off@mailboxes.example.net")
                        .mailboxFull("full@mailboxes.example.net").mailboxDisabled("off@mailboxes.example.net"));
        catchAll = mailboxes.startSibling(TestSmtpServer.loopback(3), Behavior.acceptAll());
        greylist = mailboxes.startSibling(TestSmtpServer.loopback(4), Behavior.onlyMailboxes("bob@grey.example.net").greylisting());
        greylistForever = mailboxes.startSibling(TestSmtpServer.loopback(5),
                Behavior.onlyMailboxes("eve@grey-forever.example.net").greylisting(100));
        slow = mailboxes.startSibling(TestSmtpServer.loopback(6), Behavior.acceptAll().replyDelay(Duration.ofSeconds(3)));
        drop = mailboxes.startSibling(TestSmtpServer.loopback(7),
                Behavior.onlyMailboxes("kim@drop.example.net").dropConnectionAt("kim@drop.example.net"));
        busy = mailboxes.startSibling(TestSmtpServer.loopback(8), Behavior.acceptAll().busyAtBanner());
        internal = mailboxes.startSibling(TestSmtpServer.loopback(10), Behavior.acceptAll());
        dns.mx("mailboxes.example.net", 10, "mx.mailboxes.example.net").a("mx.mailboxes.example.net", "127.0.0.2")
                .mx("catchall.example.net", 10, "mx.catchall.example.net").a("mx.catchall.example.net", "127.0.0.3")
                .mx("grey.example.net", 10, "mx.grey.example.net").a("mx.grey.example.net", "127.0.0.4")
                .mx("grey-forever.example.net", 10, "mx.grey-forever.example.net").a("mx.grey-forever.example.net", "127.0.0.5")
                .mx("slow.example.net", 10, "mx.slow.example.net").a("mx.slow.example.net", "127.0.0.6")
                .mx("drop.example.net", 10, "mx.drop.example.net").a("mx.drop.example.net", "127.0.0.7")
                .mx("busy.example.net", 10, "mx.busy.example.net").a("mx.busy.example.net", "127.0.0.8")
                .mx("down.example.net", 10, "mx.down.example.net").a("mx.down.example.net", "127.0.0.9")
                .aOnly("aonly.example.net", "127.0.0.2")
                .mx("internal.example.net", 10, "mx.internal.example.net").a("mx.internal.example.net", "127.0.0.10")
                .mx("proxyrefused.example.net", 10, "mx.proxyrefused.example.net")
                .a("mx.proxyrefused.example.net", "127.0.0.11")
                .mx("free-provider.example.net", 10, "mx.mailboxes.example.net")
                .nullMx("nullmx.example.net")
                .exists("nomail.example.net")
                .nxdomain("missing.example.net")
                .nxdomain("gmial.com")
                .servfail("broken.example.net")
                .slow("slowdns.example.net", Duration.ofSeconds(3))
                .mx("gmail.com", 5, "mx.catchall.example.net");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> KEY);
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.verify.dns.servers", () -> "127.0.0.1:" + dns.address().getPort());
        registry.add("sluice.verify.dns.timeout", () -> "700ms");
        // preflight's canary is the one well-known domain this responder knows; its MX is the catch-all server
        registry.add("sluice.verify.dns.canaries", () -> "gmail.com");
        registry.add("sluice.verify.smtp.port", () -> String.valueOf(mailboxes.port()));
        registry.add("sluice.verify.smtp.connect-timeout", () -> "500ms");
        registry.add("sluice.verify.smtp.read-timeout", () -> "800ms");
        registry.add("sluice.verify.smtp.retry-attempts", () -> "3");
        registry.add("sluice.verify.smtp.retry-delay", () -> "100ms");
        // answers after the in-conversation tries are final here; GreylistRetryTest covers the later attempts
        registry.add("sluice.verify.smtp.retry-after", () -> "");
        registry.add("sluice.verify.smtp.rcpt-per-second-per-domain", () -> "0");
        // the peers above live on loopback, which the SMTP stage refuses unless allowed; 127.0.0.10 is not
        registry.add("sluice.verify.smtp.allow", () -> "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,"
                + "127.0.0.7,127.0.0.8,127.0.0.9,127.0.0.11");
        registry.add("sluice.verify.smtp.proxy",
                () -> "socks5://sluice:" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port());
        registry.add("sluice.verify.providers.file", VerificationEndToEndTest::providerFile);
        registry.add("sluice.verify.smtp.routes.gateway.proxy",
                () -> "socks5://gw:" + ROUTE_PASSWORD + "@127.0.0.1:" + gatewayProxy.port());
    }

    /**
     * A provider table naming two of the peers: "mailhost" claims its RCPT answers mean nothing, but its
     * server refuses the catch-all probe, so its accepted recipients stay valid.
     */
    static String providerFile() {
        try {
            Path file = dataDir.resolve("test-providers.txt");
            Files.writeString(file, """
                    # the e2e test's providers
                    mailhost  0  0  true   mx.mailboxes.example.net
                    gateway   0  0  false  *.catchall.example.net
                    other     0  0  false
                    """);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : List.<AutoCloseable>of(proxy, gatewayProxy,
                internal, busy, drop, slow, greylistForever, greylist, catchAll,
                mailboxes, dns)) {
            try {
                closeable.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    /** address -> {status, reason} expected. */
    static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("ann@mailboxes.example.net", List.of("valid", "accepted"));
        EXPECTED.put("admin@mailboxes.example.net", List.of("valid", "accepted"));
        EXPECTED.put("nobody@mailboxes.example.net", List.of("invalid", "mailbox_not_found"));
        EXPECTED.put("full@mailboxes.example.net", List.of("invalid", "mailbox_full"));
        EXPECTED.put("off@mailboxes.example.net", List.of("invalid", "mailbox_disabled"));
        EXPECTED.put("carl@aonly.example.net", List.of("valid", "accepted"));
        EXPECTED.put("dan@catchall.example.net", List.of("accept_all", "catch_all"));
        EXPECTED.put("bob@grey.example.net", List.of("valid", "accepted"));
        EXPECTED.put("eve@grey-forever.example.net", List.of("unknown", "greylisted"));
        EXPECTED.put("sam@slow.example.net", List.of("unknown", "smtp_timeout"));
        EXPECTED.put("kim@drop.example.net", List.of("unknown", "smtp_protocol_error"));
        EXPECTED.put("bea@busy.example.net", List.of("unknown", "smtp_temporary_failure"));
        EXPECTED.put("don@down.example.net", List.of("unknown", "smtp_unreachable"));
        EXPECTED.put("ida@internal.example.net", List.of("unknown", "mx_address_not_allowed"));
        EXPECTED.put("pia@proxyrefused.example.net", List.of("unknown", "proxy_failed"));
        EXPECTED.put("nat@nullmx.example.net", List.of("invalid", "null_mx"));
        EXPECTED.put("nia@nomail.example.net", List.of("invalid", "no_mail_server"));
        EXPECTED.put("max@missing.example.net", List.of("invalid", "no_such_domain"));
        EXPECTED.put("ann@gmial.com", List.of("invalid", "no_such_domain"));
        EXPECTED.put("bo@broken.example.net", List.of("unknown", "dns_failure"));
        EXPECTED.put("sid@slowdns.example.net", List.of("unknown", "dns_timeout"));
        EXPECTED.put("tom@mailinator.com", List.of("invalid", "disposable"));
        EXPECTED.put("not an address", List.of("invalid", "syntax_missing_at"));
        EXPECTED.put("", List.of("invalid", "empty"));
        EXPECTED.put("john..doe@example.com", List.of("invalid", "syntax_local_part"));
        EXPECTED.put("john@-example.com", List.of("invalid", "syntax_domain"));
        EXPECTED.put("a".repeat(65) + "@example.com", List.of("invalid", "syntax_too_long"));
        EXPECTED.put("john@[192.0.2.1]", List.of("invalid", "syntax_ip_literal"));
        EXPECTED.put("John <john@example.com>", List.of("invalid", "syntax_display_name"));
        EXPECTED.put("john doe@example.com", List.of("invalid", "syntax_invalid"));
        EXPECTED.put("john@example.c0m", List.of("invalid", "no_public_suffix"));
        EXPECTED.put("amy@gmail.com", List.of("accept_all", "catch_all"));
        EXPECTED.put("gus@free-provider.example.net", List.of("valid", "accepted"));
    }

    @Test
    void every_verdict_and_reason_comes_out_of_a_job() {
        // given a file with one address per case
        Map<String, CsvRecord> rows = runJob("cases");

        // then each gets its verdict and reason
        Map<String, List<String>> actual = new LinkedHashMap<>();
        rows.forEach((address, row) -> actual.put(address, List.of(row.getField(STATUS), row.getField(REASON))));
        assertThat(actual).containsExactlyEntriesOf(EXPECTED.entrySet().stream()
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));

        // and the flags beside them
        assertThat(rows.get("admin@mailboxes.example.net").getField(ROLE)).isEqualTo("true");
        assertThat(rows.get("tom@mailinator.com").getField(DISPOSABLE)).isEqualTo("true");
        assertThat(rows.get("ann@gmial.com").getField(SUGGESTION)).isEqualTo("ann@gmail.com");
        assertThat(rows.get("ann@mailboxes.example.net").getField(CACHED)).isEqualTo("false");
        assertThat(rows.get("amy@gmail.com").getField(FREE)).isEqualTo("true");
        assertThat(rows.get("amy@gmail.com").getField(FREE)).isEqualTo("true");
        // and the score and safe-to-send of each kind of verdict
        Map<String, List<String>> scores = new LinkedHashMap<>();
        for (String address : List.of("ann@mailboxes.example.net", "admin@mailboxes.example.net",
                "dan@catchall.example.net", "eve@grey-forever.example.net",
                "full@mailboxes.example.net", "tom@mailinator.com")) {
            scores.put(address, List.of(rows.get(address).getField(SCORE), rows.get(address).getField(SAFE_TO_SEND)));
        }
        assertThat(scores).containsExactly(
                Map.entry("ann@mailboxes.example.net", List.of("95", "true")),
                Map.entry("admin@mailboxes.example.net", List.of("80", "false")),
                Map.entry("dan@catchall.example.net", List.of("50", "false")),
                Map.entry("eve@grey-forever.example.net", List.of("40", "false")),
                Map.entry("full@mailboxes.example.net", List.of("10", "false")),
                Map.entry("tom@mailinator.com", List.of("5", "false")));
        // and the provider, by the MX hosts (the test's table), empty where DNS found no mail server or did not run
        assertThat(rows.get("ann@mailboxes.example.net").getField(PROVIDER)).isEqualTo("mailhost");
        assertThat(rows.get("gus@free-provider.example.net").getField(PROVIDER)).isEqualTo("mailhost");
        assertThat(rows.get("dan@catchall.example.net").getField(PROVIDER)).isEqualTo("gateway");
        assertThat(rows.get("amy@gmail.com").getField(PROVIDER)).isEqualTo("gateway");
        assertThat(rows.get("carl@aonly.example.net").getField(PROVIDER)).isEqualTo("other");
        assertThat(rows.get("max@missing.example.net").getField(PROVIDER)).isEmpty();
        assertThat(rows.get("tom@mailinator.com").getField(PROVIDER)).isEmpty();
        assertThat(rows.get("not an address").getField(PROVIDER)).isEmpty();
        // an MX on an address that is not allowed is never connected to
        assertThat(internal.connections()).isZero();
        // and every SMTP connection came through the proxy
        assertThat(mailboxes.connections()).isPositive();
        for (TestSmtpServer server : List.of(mailboxes, greylist, greylistForever, slow, drop, busy)) {
            assertThat(server.connectionsFrom(proxy.egressAddress())).isEqualTo(server.connections());
        }
        // but the provider "gateway" has its own route (sluice.verify.smtp.routes.gateway.proxy)
        assertThat(catchAll.connections()).isPositive();
        assertThat(catchAll.connectionsFrom(gatewayProxy.egressAddress())).isEqualTo(catchAll.connections());
        assertThat(gatewayProxy.refusedLogins()).isZero();
        assertThat(proxy.addressTypes()).containsOnly(1);
    }

    @Test
    void a_second_job_reuses_cached_verdicts_without_network() {
        // given the definitive answers of a first job
        runJob("first");
        int rcptBefore = mailboxes.rcptCommands() + catchAll.rcptCommands();

        // when the same addresses come again in another job
        Map<String, CsvRecord> rows = runJob("second");

        // then definitive verdicts come from the cache and no RCPT TO was sent for them
        assertThat(rows.get("ann@mailboxes.example.net").getField(CACHED)).isEqualTo("true");
        assertThat(rows.get("nobody@mailboxes.example.net").getField(CACHED)).isEqualTo("true");
        assertThat(rows.get("dan@catchall.example.net").getField(CACHED)).isEqualTo("true");
        assertThat(rows.get("ann@mailboxes.example.net").getField(STATUS)).isEqualTo("valid");
        assertThat(rows.get("ann@mailboxes.example.net").getField(PROVIDER)).isEqualTo("mailhost");
        assertThat(mailboxes.rcptCommands() + catchAll.rcptCommands()).isEqualTo(rcptBefore);
        // unknown verdicts are never cached: they are asked again
        assertThat(rows.get("eve@grey-forever.example.net").getField(CACHED)).isEqualTo("false");
        assertThat(rows.get("pia@proxyrefused.example.net").getField(CACHED)).isEqualTo("false");
        assertThat(rows.get("pia@proxyrefused.example.net").getField(REASON)).isEqualTo("proxy_failed");
    }

    @Test
    void another_account_never_gets_a_verdict_cached_from_this_accounts_work() {
        // given this account's job verified every address (the cache scope is account by default)
        runJob("mine");
        String otherKey = Tenant.create(http, KEY, "tenant b").key();
        int rcptBefore = mailboxes.rcptCommands();

        // when another account verifies the same addresses
        Map<String, CsvRecord> rows = runJob("theirs", otherKey);

        // then no row is marked cached and the mailboxes were asked again
        assertThat(rows.values()).extracting(row -> row.getField(CACHED)).containsOnly("false");
        assertThat(rows.get("ann@mailboxes.example.net").getField(STATUS)).isEqualTo("valid");
        assertThat(mailboxes.rcptCommands()).isGreaterThan(rcptBefore);

        // and the other account's own second job does reuse its own answers
        assertThat(runJob("theirs again", otherKey).get("ann@mailboxes.example.net").getField(CACHED)).isEqualTo("true");
    }

    @Test
    void the_proxy_password_appears_in_no_log_line_event_or_result(CapturedOutput output) {
        // when a job verifies every case through the proxy, one of which it refuses
        Map<String, CsvRecord> rows = runJob("secret");
        String jobId = lastJobId;

        // then the password is nowhere to be read
        assertThat(rows.get("pia@proxyrefused.example.net").getField(REASON)).isEqualTo("proxy_failed");
        assertThat(proxy.refusedLogins()).isZero();
        assertThat(http.get("/api/v1/jobs/" + jobId + "/events", KEY).text()).doesNotContain(PROXY_PASSWORD);
        assertThat(http.get("/api/v1/jobs/" + jobId, KEY).text()).doesNotContain(PROXY_PASSWORD);
        assertThat(lastResultText).doesNotContain(PROXY_PASSWORD).doesNotContain(ROUTE_PASSWORD);
        assertThat(output.getAll()).doesNotContain(PROXY_PASSWORD).doesNotContain(ROUTE_PASSWORD);
    }

    @Test
    void account_rules_decide_before_smtp_and_only_for_their_account() {
        // given an account whose rules name a mail server and one address
        Tenant tenant = Tenant.create(http, KEY, "rules end to end");
        assertThat(http.putJson("/api/v1/verify/rules", tenant.key(), """
                {"rules": [{"match": "mx:*.grey.example.net", "status": "unknown"},
                           {"match": "email:nobody@mailboxes.example.net", "status": "valid"}]}""").status())
                .isEqualTo(200);
        int greyAttempts = greylist.attempts("bob@grey.example.net");

        // when it verifies every case
        Map<String, CsvRecord> rows = runJob("rules", tenant.key());

        // then the rules decide their addresses (SMTP never asked about bob), every other case is unchanged
        Map<String, List<String>> expected = new LinkedHashMap<>(EXPECTED);
        expected.put("bob@grey.example.net", List.of("unknown", "account_rule"));
        expected.put("nobody@mailboxes.example.net", List.of("valid", "account_rule"));
        Map<String, List<String>> actual = new LinkedHashMap<>();
        rows.forEach((address, row) -> actual.put(address, List.of(row.getField(STATUS), row.getField(REASON))));
        assertThat(actual).containsExactlyEntriesOf(expected);
        assertThat(greylist.attempts("bob@grey.example.net")).isEqualTo(greyAttempts);
    }

    private String lastJobId;
    private String lastResultText;

    private Map<String, CsvRecord> runJob(String name) {
        return runJob(name, KEY);
    }

    /** Runs one verify job over {@link #EXPECTED}'s addresses; answers the result rows by address. */
    private Map<String, CsvRecord> runJob(String name, String key) {
        StringBuilder csv = new StringBuilder("id,email\n");
        List<String> addresses = List.copyOf(EXPECTED.keySet());
        for (int i = 0; i < addresses.size(); i++) {
            csv.append(i).append(",\"").append(addresses.get(i).replace("\"", "\"\"")).append("\"\n");
        }
        String jobId = http.postJson("/api/v1/jobs", key, "{\"name\":\"" + name + "\",\"operation\":\"verify\"}").json()
                .get("id").asString();
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "cases.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8));
        String batchId = created.json().get("id").asString();
        JsonNode batch = awaitFinal(jobId, batchId, key);
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", key).json();
        String text = http.get(result.get("download_url").asString(), null).text();
        lastJobId = jobId;
        lastResultText = text;
        Map<String, CsvRecord> rows = new HashMap<>();
        boolean header = true;
        for (CsvRecord row : CsvReader.builder().ofCsvRecord(text)) {
            if (!header) {
                rows.put(addresses.get(Integer.parseInt(row.getField(0))), row);
            }
            header = false;
        }
        Map<String, CsvRecord> ordered = new LinkedHashMap<>();
        EXPECTED.keySet().forEach(address -> ordered.put(address, rows.get(address)));
        return ordered;
    }

    private JsonNode awaitFinal(String jobId, String batchId, String key) {
        return Batches.awaitFinal(http, key, jobId, batchId);
    }
}
