package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The estimate operation end to end, on a DNS responder and an SMTP server on loopback: exact numbers on a small
 * file holding every kind of address (duplicate, invalid offline, invalid by DNS, decided by a rule, cached,
 * needing SMTP at two providers), and not one SMTP connection made.
 */
class EstimateTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_estimates";

    static final DnsResponder dns = DnsResponder.start();
    static final TestSmtpServer smtp = TestSmtpServer.start(TestSmtpServer.loopback(2), 0,
            TestSmtpServer.Behavior.onlyMailboxes("dan@mailboxes.example.net"));
    static TestServer server;

    @LocalServerPort
    int port;

    Http http;

    @BeforeAll
    static void start() throws IOException {
        // a provider table naming the test's mail servers, so the estimate groups by provider as a verify does
        Path providers = Files.createTempFile("providers", ".txt");
        Files.writeString(providers, "mailboxes 2 60 false *.mailboxes.example.net\nother 0 0 false\n");
        providers.toFile().deleteOnExit();
        dns.mx("mailboxes.example.net", 10, "mx.mailboxes.example.net").a("mx.mailboxes.example.net", "127.0.0.2")
                .mx("other.example.com", 10, "mx.other.example.com").a("mx.other.example.com", "127.0.0.2")
                .nxdomain("missing.example.net");
        server = TestServer.start(TestDatabase.SQLITE, TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "2"),
                Map.entry("sluice.drop.enabled", "false"),
                Map.entry("sluice.verify.dns.enabled", "true"),
                Map.entry("sluice.verify.dns.servers", "127.0.0.1:" + dns.address().getPort()),
                Map.entry("sluice.verify.preflight.enabled", "false"),
                Map.entry("sluice.verify.providers.file", providers.toString()),
                Map.entry("sluice.verify.smtp.port", String.valueOf(smtp.port())),
                Map.entry("sluice.verify.smtp.allow", "127.0.0.2"),
                Map.entry("sluice.verify.smtp.rcpt-per-second-per-domain", "1")));
    }

    @AfterAll
    static void stop() {
        server.close();
        smtp.close();
        dns.close();
    }

    @BeforeEach
    void client() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void an_estimate_counts_every_kind_of_address_and_makes_no_smtp_connection() {
        // given an account with a domain rule, and one address it verified before (so its verdict is cached)
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "estimates");
        http.putJson("/api/v1/verify/rules", tenant.key(),
                "{\"rules\": [{\"match\": \"domain:ruled.example.org\", \"status\": \"invalid\"}]}");
        JsonNode verified = run(tenant.key(), "verify", "email\ndan@mailboxes.example.net\n");
        assertThat(verified.get("records").get("valid").asLong()).isEqualTo(1);
        int connections = smtp.connections();

        // when a file of nine records is estimated
        JsonNode batch = run(tenant.key(), "estimate", """
                email
                ann@mailboxes.example.net
                bob@mailboxes.example.net
                 ann@MAILBOXES.example.net
                not-an-address
                x@missing.example.net
                boss@ruled.example.org
                carl@other.example.com
                tom@mailinator.com
                dan@mailboxes.example.net
                """);

        // then the estimate counts each kind, and no mail server was contacted
        assertThat(smtp.connections()).isEqualTo(connections);
        JsonNode estimate = batch.get("estimate");
        assertThat(estimate.get("records").asLong()).isEqualTo(9);
        assertThat(estimate.get("distinct").asLong()).isEqualTo(8);
        assertThat(estimate.get("duplicates").asLong()).isEqualTo(1);
        assertThat(estimate.get("already_invalid").asLong()).isEqualTo(4);
        assertThat(estimate.get("cached").asLong()).isEqualTo(1);
        assertThat(estimate.get("decided_by_rules").asLong()).isEqualTo(1);
        assertThat(estimate.get("need_smtp").asLong()).isEqualTo(3);
        assertThat(estimate.get("need_smtp_by_provider").get("mailboxes").asLong()).isEqualTo(2);
        assertThat(estimate.get("need_smtp_by_provider").get("other").asLong()).isEqualTo(1);
        // three addresses for SMTP and one NXDOMAIN answered by DNS need the network
        assertThat(estimate.get("credits").asLong()).isEqualTo(4);
        // two addresses of one domain at one RCPT a second
        assertThat(estimate.get("eta_seconds").asLong()).isEqualTo(2);
        assertThat(batch.get("records").get("processed").asLong()).isEqualTo(9);
        assertThat(batch.get("records").get("duplicates").asLong()).isEqualTo(1);
        assertThat(batch.get("records").get("invalid").asLong()).isEqualTo(4);
    }

    private JsonNode run(String key, String operation, String csv) {
        Http.Response created = http.postJson("/api/v1/jobs", key,
                "{\"name\":\"" + operation + "\",\"operation\":\"" + operation + "\"}");
        assertThat(created.status()).isEqualTo(201);
        String jobId = created.json().get("id").asString();
        Http.Response uploaded = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "list.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.status()).isEqualTo(201);
        JsonNode batch = Batches.awaitFinal(http, key, jobId, uploaded.json().get("id").asString());
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        return batch;
    }
}
