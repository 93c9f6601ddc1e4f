package dev.sluice.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications end to end over real HTTP: jobs with a notification URL finish batches, a real receiver on
 * loopback checks the signatures and scripts failures, and the deliveries API shows every attempt. The
 * same contract on every database ({@link TestDatabase}). Retries wait 200ms here instead of minutes.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class DeliveryContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_delivery_tests";
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Three attempts per round: two waits. */
    static final int ATTEMPTS = 3;

    static WebhookReceiver receiver;
    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    Http http;

    static Map<String, String> properties() {
        return Map.of(
                "SLUICE_BOOTSTRAP_API_KEY", ADMIN_KEY,
                "sluice.job.poll-interval", "100ms",
                "sluice.verify.dns.enabled", "false",
                "sluice.delivery.allow-http", "true",
                "sluice.delivery.retry-delays", "200ms,200ms",
                "sluice.delivery.read-timeout", "5s",
                "sluice.fetch.allow", "127.0.0.1");
    }

    @BeforeParameterizedClassInvocation
    static void start_receiver_and_server(TestDatabase database) throws IOException {
        receiver = new WebhookReceiver();
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server_and_receiver() {
        DeliveryWorker worker = server.bean(DeliveryWorker.class);
        try (WebhookReceiver stopping = receiver; TestServer closing = server) {
            receiver = null;
            server = null;
        }
        // the attempts made the worker's HTTP client; stopping the application stopped it (DeliveryLifecycleTest)
        assertThat(worker.clientMade()).isTrue();
        assertThat(worker.closed()).isTrue();
    }

    @BeforeEach
    void client() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void completed_batch_posts_a_signed_event_the_receiver_verifies_with_the_accounts_secret() {
        // given a job that notifies by POST
        String path = "/hook-post";
        String jobId = createJob(receiver.url(path), "POST");

        // when a batch completes
        String batchId = postInline(jobId);
        Await.until("the receiver's requests", () -> receiver.at(path).size() == 1);

        // then the receiver got a signed event it can verify with the account's secret
        WebhookReceiver.Received request = receiver.at(path).get(0);
        String secret = http.get("/api/v1/webhook-secret", ADMIN_KEY).json().get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertSigned(request, secret, request.body());
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("webhook-id")).startsWith("dlv_");
        JsonNode event = JSON.readTree(request.body());
        assertThat(event.get("type").asString()).isEqualTo("batch.completed");
        assertThat(event.get("timestamp").asString()).isNotBlank();
        assertThat(event.get("data").get("job_id").asString()).isEqualTo(jobId);
        assertThat(event.get("data").get("batch_id").asString()).isEqualTo(batchId);
        assertThat(event.get("data").get("status").asString()).isEqualTo("completed");
        assertThat(event.get("data").get("records").get("total").asLong()).isEqualTo(3);
        assertThat(event.get("data").get("records").get("valid").asLong()).isEqualTo(2);
        assertThat(event.get("data").get("records").get("invalid").asLong()).isEqualTo(1);

        // and the deliveries API shows it delivered after one attempt
        JsonNode delivery = awaitDelivery(jobId, "delivered");
        assertThat(delivery.get("id").asString()).isEqualTo(request.header("webhook-id"));
        assertThat(delivery.get("event").asString()).isEqualTo("batch.completed");
        assertThat(delivery.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(delivery.get("attempts")).hasSize(1);
        assertThat(delivery.get("attempts").get(0).get("status_code").asInt()).isEqualTo(200);
        assertThat(delivery.get("delivered_at").isNull()).isFalse();
    }

    @Test
    void receiver_answering_500_twice_sees_three_attempts_with_one_webhook_id_and_nothing_after_success() {
        // given a receiver that fails twice
        String path = "/hook-flaky";
        receiver.script(path, 500, 500);
        String jobId = createJob(receiver.url(path), "POST");

        // when a batch completes
        postInline(jobId);
        JsonNode delivery = awaitDelivery(jobId, "delivered");

        // then three attempts came with the same id, each validly signed, and none after the success
        awaitDeliveriesSettled(jobId);
        List<WebhookReceiver.Received> requests = receiver.at(path);
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(delivery.get("id").asString());
        String secret = http.get("/api/v1/webhook-secret", ADMIN_KEY).json().get("secret").asString();
        requests.forEach(r -> assertSigned(r, secret, r.body()));
        JsonNode after = deliveries(jobId).get(0);
        assertThat(after.get("attempt_count").asInt()).isEqualTo(3);
        assertThat(after.get("attempts")).extracting(a -> a.get("status_code").asInt()).containsExactly(500, 500, 200);
        assertThat(after.get("attempts")).extracting(a -> a.get("attempt").asInt()).containsExactly(1, 2, 3);
        assertThat(after.get("last_status_code").asInt()).isEqualTo(200);
    }

    @Test
    void receiver_that_keeps_failing_gets_every_attempt_and_the_delivery_fails() {
        // given a receiver that always answers 503
        String path = "/hook-down";
        receiver.script(path, 503, 503, 503, 503, 503, 503);
        String jobId = createJob(receiver.url(path), "POST");

        // when a batch completes
        postInline(jobId);
        JsonNode delivery = awaitDelivery(jobId, "failed");

        // then the policy's attempts were made, no more, and the reason is kept
        awaitDeliveriesSettled(jobId);
        assertThat(receiver.at(path)).hasSize(ATTEMPTS);
        assertThat(delivery.get("attempts")).hasSize(ATTEMPTS);
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(503);
        assertThat(delivery.get("last_error").asString()).contains("503");
        assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
    }

    @Test
    void get_notification_sends_the_fields_as_query_parameters_and_signs_an_empty_body() {
        // given a job that notifies by GET, on a URL that already has a query
        String path = "/hook-get";
        String jobId = createJob(receiver.url(path) + "?token=abc", "GET");

        // when a batch completes
        String batchId = postInline(jobId);
        Await.until("the receiver's requests", () -> receiver.at(path).size() == 1);

        // then
        WebhookReceiver.Received request = receiver.at(path).get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.body()).isEmpty();
        Map<String, String> query = query(request.query());
        assertThat(query).containsEntry("token", "abc")
                .containsEntry("job_id", jobId)
                .containsEntry("batch_id", batchId)
                .containsEntry("status", "completed")
                .containsEntry("event", "batch.completed");
        assertSigned(request, http.get("/api/v1/webhook-secret", ADMIN_KEY).json().get("secret").asString(), "");
    }

    @Test
    void redeliver_sends_again_with_the_same_webhook_id() {
        // given a delivered notification
        String path = "/hook-redeliver";
        String jobId = createJob(receiver.url(path), "POST");
        postInline(jobId);
        String deliveryId = awaitDelivery(jobId, "delivered").get("id").asString();

        // when it is redelivered
        Http.Response redelivered = http.postJson("/api/v1/jobs/" + jobId + "/deliveries/" + deliveryId + "/redeliver",
                ADMIN_KEY, "");
        Await.until("the receiver's requests", () -> receiver.at(path).size() == 2);

        // then a second attempt came with the same id and the same body, and the log has both
        assertThat(redelivered.status()).isEqualTo(202);
        assertThat(redelivered.json().get("status").asString()).isEqualTo("pending");
        List<WebhookReceiver.Received> requests = receiver.at(path);
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsExactly(deliveryId, deliveryId);
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        Await.until("two attempts recorded", () -> deliveries(jobId).get(0).get("attempts").size() == 2
                && deliveries(jobId).get(0).get("status").asString().equals("delivered"));
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/deliveries/dlv_nope/redeliver", ADMIN_KEY, "").status())
                .isEqualTo(404);
    }

    @Test
    void private_address_without_allowlist_fails_the_delivery_at_once_with_the_reason() {
        // given a notification URL on a loopback address the allowlist does not name
        String jobId = createJob("http://127.0.0.2:" + receiver.port() + "/hook-private", "POST");

        // when a batch completes
        postInline(jobId);
        JsonNode delivery = awaitDelivery(jobId, "failed");

        // then one refused attempt, no retry, nothing sent
        awaitDeliveriesSettled(jobId);
        JsonNode after = deliveries(jobId).get(0);
        assertThat(after.get("attempts")).hasSize(1);
        assertThat(after.get("attempts").get(0).get("status_code").isNull()).isTrue();
        assertThat(delivery.get("last_error").asString()).contains("127.0.0.2").contains("sluice.fetch.allow");
        assertThat(receiver.at("/hook-private")).isEmpty();
    }

    @Test
    void malformed_batch_also_notifies() {
        // given a job that notifies
        String path = "/hook-malformed";
        String jobId = createJob(receiver.url(path), "POST");

        // when a file without an email column is uploaded
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "f.csv",
                "name,city\nann,paris\n".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).isEqualTo(201);
        Await.until("the receiver's requests", () -> receiver.at(path).size() == 1);

        // then the event says malformed, with the reason
        JsonNode event = JSON.readTree(receiver.at(path).get(0).body());
        assertThat(event.get("type").asString()).isEqualTo("batch.malformed");
        assertThat(event.get("data").get("status").asString()).isEqualTo("malformed");
        assertThat(event.get("data").get("batch_id").asString()).isEqualTo(created.json().get("id").asString());
        assertThat(event.get("data").get("error").get("code").asString()).isNotBlank();
    }

    @Test
    void cancelled_batch_notifies_once_from_the_cancel_request() {
        // given a job that notifies, with a batch waiting for its upload
        String path = "/hook-cancel";
        String jobId = createJob(receiver.url(path), "GET");
        String batchId = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json().get("id").asString();

        // when the job is cancelled, twice
        http.postJson("/api/v1/jobs/" + jobId + "/cancel", ADMIN_KEY, "");
        http.postJson("/api/v1/jobs/" + jobId + "/cancel", ADMIN_KEY, "");
        Await.until("the receiver's requests", () -> receiver.at(path).size() == 1);

        // then one batch.cancelled notification
        awaitDeliveriesSettled(jobId);
        assertThat(receiver.at(path)).hasSize(1);
        assertThat(query(receiver.at(path).get(0).query())).containsEntry("event", "batch.cancelled")
                .containsEntry("batch_id", batchId).containsEntry("status", "cancelled");
        assertThat(deliveries(jobId)).hasSize(1);
    }

    @Test
    void job_without_notification_has_no_deliveries_and_other_accounts_get_404() {
        // given a job without a notification and a second account
        String jobId = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"quiet\",\"operation\":\"verify\"}").json()
                .get("id").asString();
        String batchId = postInline(jobId);
        awaitBatch(jobId, batchId);
        String otherKey = Tenant.create(http, ADMIN_KEY, "tenant d").key();

        // when / then
        assertThat(deliveries(jobId)).isEmpty();
        assertThat(http.get("/api/v1/jobs/" + jobId + "/deliveries", otherKey).status()).isEqualTo(404);
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/deliveries/dlv_x/redeliver", otherKey, "").status())
                .isEqualTo(404);
    }

    @Test
    void webhook_secret_is_per_account_stable_and_rotates() {
        // given
        String otherKey = Tenant.create(http, ADMIN_KEY, "tenant s").key();
        String first = http.get("/api/v1/webhook-secret", otherKey).json().get("secret").asString();

        // when
        String again = http.get("/api/v1/webhook-secret", otherKey).json().get("secret").asString();
        Http.Response rotated = http.postJson("/api/v1/webhook-secret/rotate", otherKey, "");

        // then
        assertThat(again).isEqualTo(first);
        assertThat(first).isNotEqualTo(http.get("/api/v1/webhook-secret", ADMIN_KEY).json().get("secret").asString());
        assertThat(rotated.status()).isEqualTo(200);
        String next = rotated.json().get("secret").asString();
        assertThat(next).startsWith("whsec_").isNotEqualTo(first);
        assertThat(http.get("/api/v1/webhook-secret", otherKey).json().get("secret").asString()).isEqualTo(next);
        assertThat(http.get("/api/v1/webhook-secret", null).status()).isEqualTo(401);
    }

    // ---- helpers ----

    private String createJob(String url, String method) {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"notify\",\"operation\":\"verify\","
                + "\"notification\":{\"url\":\"" + url + "\",\"method\":\"" + method + "\"}}");
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private String postInline(String jobId) {
        Http.Response created = http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY,
                "{\"records\":[\"a@example.com\",\"b@@example.com\",\"c@example.net\"]}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private void awaitBatch(String jobId, String batchId) {
        Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId);
    }

    /** Waits until no send of the job's deliveries is left in the task table: every attempt to come was made. */
    private void awaitDeliveriesSettled(String jobId) {
        deliveries(jobId).forEach(d -> server.awaitNoTasks("delivery-send", d.get("id").asString() + "/"));
    }

    private JsonNode deliveries(String jobId) {
        Http.Response response = http.get("/api/v1/jobs/" + jobId + "/deliveries", ADMIN_KEY);
        assertThat(response.status()).isEqualTo(200);
        return response.json().get("items");
    }

    private JsonNode awaitDelivery(String jobId, String status) {
        return Await.until("the delivery of job " + jobId + " " + status, () -> deliveries(jobId),
                items -> items.size() == 1 && items.get(0).get("status").asString().equals(status)).get(0);
    }

    private static void assertSigned(WebhookReceiver.Received request, String secret, String body) {
        // a receiver's check, written independently of the server's signer
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp))).isLessThan(300);
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            assertThat(request.header("webhook-signature"))
                    .isEqualTo("v1," + java.util.Base64.getEncoder().encodeToString(expected));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
