package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import dev.sluice.server.verify.SingleCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/verify} end to end: a DNS responder and an SMTP server on loopback, one mailbox that
 * stalls its answer past the request's deadline, an evaluation key over its daily checks, and bad requests.
 */
class SingleCheckApiTest {

    static final String ADMIN_KEY = "sk_test_single_check_admin";
    static final int EVALUATION_LIMIT = 3;

    static final DnsResponder dns = DnsResponder.start();
    /** Stalls long past the timed-out request's deadline, then refuses the mailbox. */
    static final Duration STALL = Duration.ofSeconds(4);
    static final TestSmtpServer mailboxes = TestSmtpServer.start(TestSmtpServer.loopback(2), 0,
            Behavior.onlyMailboxes("ann@mailboxes.example.net", "info@mailboxes.example.net")
                    .slowRecipient("stall@mailboxes.example.net", STALL));

    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        dns.mx("mailboxes.example.net", 10, "mx.mailboxes.example.net").a("mx.mailboxes.example.net", "127.0.0.2");
        server = TestServer.start(TestDatabase.SQLITE, Map.of(
                "SLUICE_BOOTSTRAP_API_KEY", ADMIN_KEY,
                "sluice.verify.dns.servers", "127.0.0.1:" + dns.address().getPort(),
                "sluice.verify.dns.canaries", "mailboxes.example.net",
                "sluice.verify.smtp.port", String.valueOf(mailboxes.port()),
                "sluice.verify.smtp.allow", "127.0.0.2",
                "sluice.verify.smtp.read-timeout", "30s",
                "sluice.verify.smtp.rcpt-per-second-per-domain", "0",
                "sluice.verify.single.evaluation-daily-limit", String.valueOf(EVALUATION_LIMIT)));
        http = server.http();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : List.<AutoCloseable>of(server, mailboxes, dns)) {
            try {
                closeable.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private static Http.Response check(String key, String body) {
        return http.postJson("/api/v1/verify", key, body);
    }

    private static double counted(String status) {
        return server.bean(MeterRegistry.class).get(SingleCheck.CHECKS).tag("status", status).counter().count();
    }

    @Test
    void a_mailbox_the_server_accepts_is_valid_with_every_field_of_a_result_row_and_cached_the_second_time() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "single valid");
        double validBefore = counted("valid");

        // when
        Http.Response first = check(tenant.key(), "{\"email\": \" Ann@Mailboxes.Example.NET \"}");
        Http.Response second = check(tenant.key(), "{\"email\": \"Ann@mailboxes.example.net\", \"timeout\": \"20s\"}");

        // then
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        JsonNode verdict = first.json();
        assertThat(verdict.propertyNames()).containsExactly("email", "status", "reason", "provider", "score",
                "safe_to_send", "role", "disposable", "free", "suggestion", "cached");
        assertThat(verdict.get("provider").asString()).as("a loopback MX host is no known provider's").isEqualTo("other");
        assertThat(verdict.get("email").asString()).isEqualTo("Ann@mailboxes.example.net");
        assertThat(verdict.get("status").asString()).isEqualTo("valid");
        assertThat(verdict.get("reason").asString()).isEqualTo("accepted");
        assertThat(verdict.get("score").asInt()).isEqualTo(95);
        assertThat(verdict.get("safe_to_send").asBoolean()).isTrue();
        assertThat(verdict.get("role").asBoolean()).isFalse();
        assertThat(verdict.get("suggestion").isNull()).isTrue();
        assertThat(verdict.get("cached").asBoolean()).isFalse();
        assertThat(second.json().get("cached").asBoolean()).isTrue();
        assertThat(second.json().get("status").asString()).isEqualTo("valid");
        assertThat(counted("valid")).isEqualTo(validBefore + 2);
    }

    @Test
    void a_role_mailbox_is_valid_but_not_safe_to_send_and_an_unknown_mailbox_is_invalid() {
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "single role");

        JsonNode role = check(tenant.key(), "{\"email\": \"info@mailboxes.example.net\"}").json();
        JsonNode unknownMailbox = check(tenant.key(), "{\"email\": \"nobody@mailboxes.example.net\"}").json();

        assertThat(role.get("status").asString()).isEqualTo("valid");
        assertThat(role.get("role").asBoolean()).isTrue();
        assertThat(role.get("score").asInt()).isEqualTo(80);
        assertThat(role.get("safe_to_send").asBoolean()).isFalse();
        assertThat(unknownMailbox.get("status").asString()).isEqualTo("invalid");
        assertThat(unknownMailbox.get("reason").asString()).isEqualTo("mailbox_not_found");
        assertThat(unknownMailbox.get("score").asInt()).isZero();
    }

    @Test
    void a_malformed_address_is_an_answer_not_an_error() {
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "single malformed");
        double invalidBefore = counted("invalid");

        Http.Response answer = check(tenant.key(), "{\"email\": \"not-an-address\"}");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().get("email").asString()).isEqualTo("not-an-address");
        assertThat(answer.json().get("status").asString()).isEqualTo("invalid");
        assertThat(answer.json().get("reason").asString()).isEqualTo("syntax_missing_at");
        assertThat(answer.json().get("safe_to_send").asBoolean()).isFalse();
        assertThat(counted("invalid")).isEqualTo(invalidBefore + 1);
    }

    @Test
    void a_server_that_stalls_past_the_deadline_gives_unknown_timeout_and_the_check_finishes_into_the_cache() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "single timeout");

        // when: the deadline is a quarter of the stall
        Http.Response answer = check(tenant.key(), "{\"email\": \"stall@mailboxes.example.net\", \"timeout\": \"1s\"}");

        // then
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().get("status").asString()).isEqualTo("unknown");
        assertThat(answer.json().get("reason").asString()).isEqualTo("timeout");
        assertThat(answer.json().get("email").asString()).isEqualTo("stall@mailboxes.example.net");
        assertThat(answer.json().get("safe_to_send").asBoolean()).isFalse();

        // and the conversation goes on: its verdict reaches the account's cache, where the next check finds it
        JdbcClient jdbc = server.bean(JdbcClient.class);
        Await.until("the stalled verdict in the cache", () -> jdbc.sql(
                "SELECT COUNT(*) FROM verify_cache_verdicts WHERE scope = :scope AND address = :address")
                .param("scope", tenant.id()).param("address", "stall@mailboxes.example.net")
                .query(Long.class).single(), n -> n == 1);
        JsonNode again = check(tenant.key(), "{\"email\": \"stall@mailboxes.example.net\"}").json();
        assertThat(again.get("reason").asString()).isEqualTo("mailbox_not_found");
        assertThat(again.get("cached").asBoolean()).isTrue();
    }

    @Test
    void an_evaluation_key_gets_its_daily_checks_then_429_with_retry_after_and_live_keys_go_on() throws Exception {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "single evaluation");
        Http.Response added = http.postJson("/api/v1/accounts/" + tenant.id() + "/keys", tenant.key(),
                "{\"kind\": \"evaluation\"}");
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        String evaluationKey = added.json().get("key").asString();

        // when
        for (int i = 0; i < EVALUATION_LIMIT; i++) {
            assertThat(check(evaluationKey, "{\"email\": \"nobody" + i + "\"}").status()).isEqualTo(200);
        }
        HttpResponse<String> over;
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI verify = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/verify");
            over = client.send(HttpRequest.newBuilder(verify)
                    .header("x-api-key", evaluationKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"one-more\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        // then
        assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
        assertThat(over.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(over.body()).contains("\"code\":\"too_many_checks\"");
        assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 86_400L);
        assertThat(check(tenant.key(), "{\"email\": \"still-fine\"}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"email\": null}", "{\"email\": \"   \"}", "[]",
            "{\"email\": \"ann@example.com\", \"timeout\": \"soon\"}",
            "{\"email\": \"ann@example.com\", \"timeout\": \"121s\"}",
            "{\"email\": \"ann@example.com\", \"timeout\": \"3m\"}",
            "{\"email\": \"ann@example.com\", \"timeout\": \"0s\"}",
            "{\"email\": \"ann@example.com\", \"timeout\": 20}",
            "{\"email\": \"ann@example.com\", \"timeout\": \"-5s\"}"})
    void a_missing_email_or_a_bad_timeout_is_a_400_problem(String body) {
        Http.Response answer = check(ADMIN_KEY, body);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
    }

    @Test
    void the_openapi_document_describes_the_check_and_the_prometheus_scrape_counts_it_by_status() {
        JsonNode post = http.get("/api/v1/openapi.json", null).json().get("paths").get("/api/v1/verify").get("post");

        assertThat(post.get("summary").asString()).isEqualTo("Verify one address now");
        assertThat(post.get("responses").propertyNames()).contains("200", "400", "429");
        assertThat(http.get("/actuator/prometheus", null).text())
                .contains("sluice_verify_single_checks_total{status=\"accept_all\"}");
    }

    @Test
    void no_key_is_a_401() {
        assertThat(check(null, "{\"email\": \"ann@example.com\"}").status()).isEqualTo(401);
    }
}
