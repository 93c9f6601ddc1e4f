package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Preflight end to end: a server whose resolver or SMTP egress is broken gives {@code unknown} verdicts naming
 * the instrument, never {@code invalid}, shows its checks at {@code GET /api/v1/verify/preflight} (admin key
 * only), and resumes its stages by itself once a later check passes. Every peer is on loopback.
 */
@ExtendWith(OutputCaptureExtension.class)
class PreflightEndToEndTest {

    static final String KEY = "sk_test_preflight";
    static final String PREFLIGHT = "/api/v1/verify/preflight";

    final DnsResponder dns = DnsResponder.start();
    final TestSmtpServer mailboxes = TestSmtpServer.start(TestSmtpServer.loopback(52), 0,
            Behavior.onlyMailboxes("ann@mailboxes.example.net"));
    TestSmtpServer canaryMx;
    TestServer server;
    Http http;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (canaryMx != null) {
            canaryMx.close();
        }
        mailboxes.close();
        dns.close();
    }

    @Test
    void a_resolver_that_says_nxdomain_for_everything_makes_dns_verdicts_unknown_dns_unreliable(CapturedOutput output) {
        // given a resolver that calls every name missing, gmail.com included
        start(Map.of());

        // when a job verifies gmail.com addresses beside offline cases
        Map<String, List<String>> verdicts = verify("ann@gmail.com", "bob@gmail.com", "not an address",
                "tom@mailinator.com");

        // then the DNS verdicts are unknown / dns_unreliable, never invalid / no_such_domain; offline ones stand
        assertThat(verdicts).containsExactly(
                Map.entry("ann@gmail.com", List.of("unknown", "dns_unreliable", "false")),
                Map.entry("bob@gmail.com", List.of("unknown", "dns_unreliable", "false")),
                Map.entry("not an address", List.of("invalid", "syntax_missing_at", "false")),
                Map.entry("tom@mailinator.com", List.of("invalid", "disposable", "false")));

        // and the admin's preflight answer says why
        JsonNode preflight = http.get(PREFLIGHT, KEY).json();
        assertThat(preflight.get("state").asString()).isEqualTo("unhealthy");
        assertThat(preflight.get("resolver_reliable").asBoolean()).isFalse();
        JsonNode resolver = preflight.get("checks").get(0);
        assertThat(resolver.get("name").asString()).isEqualTo("resolver");
        assertThat(resolver.get("status").asString()).isEqualTo("failed");
        assertThat(resolver.get("message").asString()).startsWith("The resolver says gmail.com does not exist");
        assertThat(resolver.get("checked_at").asString()).isNotBlank();
        assertThat(preflight.get("checks")).extracting(c -> c.get("name").asString())
                .containsExactly("resolver", "smtp_egress", "helo_name", "blocklists");
        // and the log said so once at start: the banner's summary, one line per failed check
        assertThat(output.getAll())
                .containsOnlyOnce("preflight: resolver failed, smtp_egress skipped, helo_name failed,"
                        + " blocklists skipped")
                .containsOnlyOnce("preflight: resolver failed: The resolver says gmail.com does not exist");

        // when the resolver is repaired and a check runs on demand
        dns.mx("gmail.com", 5, "mx.mailboxes.example.net").a("mx.mailboxes.example.net", "127.0.0.52");
        JsonNode repaired = http.postJson(PREFLIGHT, KEY, "").json();
        assertThat(repaired.get("resolver_reliable").asBoolean()).isTrue();

        // then the same addresses are verified for real: the unknowns were never cached
        Map<String, List<String>> again = verify("ann@gmail.com");
        assertThat(again.get("ann@gmail.com")).isEqualTo(List.of("invalid", "mailbox_not_found", "false"));
    }

    @Test
    void a_resolver_that_answers_every_random_name_is_unreliable() {
        // given a resolver that knows gmail.com but makes up an address for any other name
        dns.mx("gmail.com", 5, "mx.mailboxes.example.net").a("mx.mailboxes.example.net", "127.0.0.52")
                .answerEveryName("127.0.0.52");
        start(Map.of());

        // then preflight finds it unreliable, and a domain it "answers" is not called deliverable
        JsonNode resolver = http.get(PREFLIGHT, KEY).json().get("checks").get(0);
        assertThat(resolver.get("status").asString()).isEqualTo("failed");
        assertThat(resolver.get("message").asString()).contains("answers the random name sluice-");
        assertThat(verify("kim@made-up.example.net").get("kim@made-up.example.net"))
                .isEqualTo(List.of("unknown", "dns_unreliable", "false"));
    }

    @Test
    void only_an_admin_key_reads_the_preflight_checks() {
        start(Map.of());
        String tenantKey = Tenant.create(http, KEY, "not an admin").key();

        assertThat(http.get(PREFLIGHT, tenantKey).status()).isEqualTo(403);
        assertThat(http.postJson(PREFLIGHT, tenantKey, "").status()).isEqualTo(403);
        assertThat(http.get(PREFLIGHT, KEY).status()).isEqualTo(200);
    }

    @Test
    void a_blocked_egress_gives_smtp_egress_blocked_at_once_and_the_stage_resumes_after_the_next_check() {
        // given the canary's mail server address has nothing listening on the SMTP port
        dns.mx("gmail.com", 5, "mx.gmail.com").a("mx.gmail.com", "127.0.0.53")
                .mx("mailboxes.example.net", 10, "mx.mailboxes.example.net")
                .a("mx.mailboxes.example.net", "127.0.0.52");
        long startedAt = System.nanoTime();
        start(Map.of("sluice.verify.preflight.unhealthy-interval", "300ms"));

        // when a job verifies an address whose mail server works
        long jobAt = System.nanoTime();
        Map<String, List<String>> blocked = verify("ann@mailboxes.example.net");
        long doneAt = System.nanoTime();

        // then it is unknown / smtp_egress_blocked at once, and no mail server was asked
        assertThat(blocked.get("ann@mailboxes.example.net"))
                .isEqualTo(List.of("unknown", "smtp_egress_blocked", "false"));
        assertThat(mailboxes.connections()).isZero();
        assertThat(http.get(PREFLIGHT, KEY).json().get("smtp_egress_open").asBoolean()).isFalse();
        System.out.printf("blocked egress: first smtp_egress_blocked verdict %d ms after the server was started,"
                + " %d ms after the job was created%n", (doneAt - startedAt) / 1_000_000, (doneAt - jobAt) / 1_000_000);

        // when the egress opens, the periodic check notices it by itself
        canaryMx = mailboxes.startSibling(TestSmtpServer.loopback(53), Behavior.acceptAll());
        Await.until("the egress check passes", () -> http.get(PREFLIGHT, KEY).json(),
                view -> view.get("smtp_egress_open").asBoolean());

        // then the SMTP stage runs again
        assertThat(verify("ann@mailboxes.example.net").get("ann@mailboxes.example.net"))
                .isEqualTo(List.of("valid", "accepted", "false"));
        assertThat(mailboxes.connections()).isPositive();
    }

    /** Starts a server whose DNS is {@link #dns}, whose SMTP stage may reach 127.0.0.52 and .53, canary gmail.com. */
    private void start(Map<String, String> more) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("SLUICE_BOOTSTRAP_API_KEY", KEY);
        properties.put("sluice.job.poll-interval", "100ms");
        properties.put("sluice.verify.dns.servers", "127.0.0.1:" + dns.address().getPort());
        properties.put("sluice.verify.dns.timeout", "700ms");
        properties.put("sluice.verify.dns.canaries", "gmail.com");
        properties.put("sluice.verify.smtp.dnsbl", "zen.example.net");
        properties.put("sluice.verify.smtp.port", String.valueOf(mailboxes.port()));
        properties.put("sluice.verify.smtp.connect-timeout", "500ms");
        properties.put("sluice.verify.smtp.read-timeout", "800ms");
        properties.put("sluice.verify.smtp.allow", "127.0.0.52,127.0.0.53");
        properties.putAll(more);
        server = TestServer.start(TestDatabase.SQLITE, properties);
        http = server.http();
    }

    /** Runs one verify job; answers {status, reason, cached} by address, in input order. */
    private Map<String, List<String>> verify(String... addresses) {
        StringBuilder csv = new StringBuilder("id,email\n");
        for (int i = 0; i < addresses.length; i++) {
            csv.append(i).append(",\"").append(addresses[i]).append("\"\n");
        }
        String jobId = http.postJson("/api/v1/jobs", KEY, "{\"name\":\"preflight\",\"operation\":\"verify\"}").json()
                .get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "cases.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        assertThat(Batches.awaitFinal(http, KEY, jobId, batchId).get("status").asString()).isEqualTo("completed");
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", KEY).json();
        List<CsvRecord> rows = CsvReader.builder().ofCsvRecord(http.get(result.get("download_url").asString(), null)
                .text()).stream().toList();
        List<String> header = rows.get(0).getFields();
        Map<String, List<String>> verdicts = new LinkedHashMap<>();
        for (CsvRecord row : rows.subList(1, rows.size())) {
            verdicts.put(addresses[Integer.parseInt(row.getField(0))], List.of(
                    row.getField(header.indexOf("sluice_status")), row.getField(header.indexOf("sluice_reason")),
                    row.getField(header.indexOf("sluice_cached"))));
        }
        return verdicts;
    }
}
