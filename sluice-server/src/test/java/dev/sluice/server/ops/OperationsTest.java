package dev.sluice.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Health probes, the Prometheus scrape and the OpenAPI document over real HTTP, on every database
 * ({@link TestDatabase}, blobs on local disk): readiness follows the database, the blob storage and the task engine; the domain metrics
 * count exactly what the batches' committed counters say.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class OperationsTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_operations_tests";

    /** A receiver on loopback that accepts every notification with 204. */
    static HttpServer receiver;
    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    SchedulerClient scheduler;

    Http http;

    static Map<String, String> properties() {
        return Map.of(
                "SLUICE_BOOTSTRAP_API_KEY", ADMIN_KEY,
                "sluice.job.poll-interval", "100ms",
                "sluice.verify.dns.enabled", "false",
                "sluice.delivery.allow-http", "true",
                "sluice.delivery.retry-delays", "100ms",
                "sluice.fetch.allow", "127.0.0.1");
    }

    Path dataDir() {
        return server.dataDir();
    }

    @BeforeParameterizedClassInvocation
    static void start_receiver_and_server(TestDatabase database) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server_and_receiver() {
        try (TestServer closing = server) {
            server = null;
        } finally {
            receiver.stop(0);
            receiver = null;
        }
    }

    @BeforeEach
    void client() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    // ---- health ----

    @Test
    void liveness_is_up_without_a_key() {
        Http.Response response = http.get("/actuator/health/liveness", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void readiness_is_up_with_database_storage_and_scheduler_and_shows_no_details() {
        Http.Response response = http.get("/actuator/health/readiness", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode health = response.json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        for (String component : List.of("db", "storage", "scheduler", "readinessState")) {
            assertThat(health.get("components").get(component).get("status").asString()).as(component).isEqualTo("UP");
            assertThat(health.get("components").get(component).has("details")).as(component).isFalse();
        }
        assertThat(health.get("components").has("livenessState")).isFalse();
    }

    @Test
    void readiness_goes_down_while_blob_storage_cannot_be_written_and_liveness_stays_up() throws IOException {
        // given blob storage broken for real: its folder replaced by a regular file (chmod does not stop root)
        Path blobs = dataDir().resolve("blobs");
        Path aside = dataDir().resolve("blobs-aside");
        Files.move(blobs, aside);
        Files.writeString(blobs, "not a folder");
        Http.Response readiness;
        Http.Response liveness;
        try {
            // when
            readiness = http.get("/actuator/health/readiness", null);
            liveness = http.get("/actuator/health/liveness", null);
        } finally {
            Files.delete(blobs);
            Files.move(aside, blobs);
        }

        // then readiness answers 503 naming the storage, liveness does not care
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(readiness.json().get("components").get("storage").get("status").asString()).isEqualTo("DOWN");
        assertThat(readiness.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(readiness.text()).doesNotContain(dataDir().toString());
        assertThat(liveness.status()).isEqualTo(200);

        // and once repaired it is ready again
        assertThat(http.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    // ---- metrics ----

    @Test
    void verified_records_are_counted_by_verdict_exactly_as_the_batch_counts_them() {
        // given
        Map<String, Double> before = scrape();

        // when a verify batch of two valid and two invalid addresses completes (offline checks only)
        String jobId = createJob("{\"name\":\"ops verify\",\"operation\":\"verify\"}");
        JsonNode batch = postInlineAndAwait(jobId,
                "{\"records\":[\"ann@example.com\",\"bob@example.org\",\"not-an-address\",\"c@@example.net\"]}");

        // then the counters moved by exactly the batch's committed counters
        Map<String, Double> after = scrape();
        JsonNode records = batch.get("records");
        assertThat(records.get("valid").asLong()).isEqualTo(2);
        assertThat(records.get("invalid").asLong()).isEqualTo(2);
        for (String verdict : List.of("valid", "invalid", "accept_all", "unknown")) {
            String series = "sluice_records_processed_total{operation=\"verify\",outcome=\"" + verdict + "\"}";
            assertThat(after).as(series).containsKey(series);
            assertThat(after.get(series) - before.getOrDefault(series, 0.0)).as(series)
                    .isEqualTo((double) records.get(verdict).asLong());
        }
        // and the task engine timed its tasks by name
        assertThat(after.get("dbscheduler_task_duration_seconds_count{task=\"batch-assemble\"}")).isPositive();
        assertThat(after.get("dbscheduler_task_duration_seconds_count{task=\"batch-load\"}")).isPositive();
    }

    @Test
    void imported_records_are_counted_by_outcome_exactly_as_the_batch_counts_them() {
        // given a dataset and the counters before
        Http.Response dataset = http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"ops_people\",\"columns\":["
                + "{\"name\":\"code\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"email\"},"
                + "{\"name\":\"age\",\"type\":\"integer\"}],\"key\":[\"code\"]}");
        assertThat(dataset.status()).as(dataset.text()).isEqualTo(201);
        Map<String, Double> before = scrape();

        // when a file with two good rows and one bad row is imported (no error threshold)
        String jobId = createJob("{\"name\":\"ops import\",\"operation\":\"import\",\"options\":{\"dataset\":\"ops_people\","
                + "\"errorThreshold\":0,\"source\":{\"headers\":true}}}");
        Http.Response upload = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "people.csv",
                "code,email,age\na1,ann@example.com,31\nb2,bob@example.org,42\nc3,cy@example.net,not a number\n"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).as(upload.text()).isEqualTo(201);
        JsonNode batch = awaitFinal(jobId, upload.json().get("id").asString());

        // then
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        JsonNode records = batch.get("records");
        assertThat(records.get("completed").asLong()).isEqualTo(2);
        assertThat(records.get("failed").asLong()).isEqualTo(1);
        for (String outcome : List.of("completed", "failed", "ignored")) {
            String series = "sluice_records_processed_total{operation=\"import\",outcome=\"" + outcome + "\"}";
            double expected = before.getOrDefault(series, 0.0) + records.get(outcome).asLong();
            // counted just after the completing transaction commits, so a moment after the batch reads completed
            Map<String, Double> after = Await.until(series + " at " + expected, this::scrape,
                    metrics -> metrics.getOrDefault(series, -1.0) >= expected);
            assertThat(after.get(series)).as(series).isEqualTo(expected);
        }
    }

    @Test
    void batches_are_gauged_by_status_from_the_database() {
        // given one completed batch at least
        String jobId = createJob("{\"name\":\"ops gauge\",\"operation\":\"verify\"}");
        postInlineAndAwait(jobId, "{\"records\":[\"gauge@example.com\"]}");
        long completed = countCompletedBatches();

        // when / then: every status has a series, and the completed one catches up within its reuse interval
        Await.until("completed batches in the metrics", () -> scrape().getOrDefault("sluice_batches{status=\"completed\"}", -1.0) >= completed);
        Map<String, Double> metrics = scrape();
        for (String status : List.of("waiting_for_upload", "queued", "loading", "in_progress", "completed", "failed",
                "malformed", "cancelled")) {
            assertThat(metrics).containsKey("sluice_batches{status=\"" + status + "\"}");
        }
    }

    @Test
    void queue_depth_counts_due_tasks_no_worker_claims() {
        // given a due task of a name no node here runs, so no worker runs it
        TaskDescriptor<Void> foreign = TaskDescriptor.of("ops-foreign-task");
        String series = "sluice_task_queue_depth{task=\"ops-foreign-task\"}";
        TaskInstanceId first = TaskInstanceId.of(foreign.getTaskName(), "first");
        TaskInstanceId second = TaskInstanceId.of(foreign.getTaskName(), "second");
        scheduler.scheduleIfNotExists(foreign.instance(first.getId()).scheduledTo(Instant.now().minusSeconds(1)));
        Await.until(series + " at 1 or the batch picked", () -> scrape().getOrDefault(series, 0.0) == 1.0 || picked(first));
        if (picked(first)) {
            // PostgreSQL claims and updates in one statement (lock and fetch), so db-scheduler holds the first
            // execution of an unknown name before it learns the name is unknown; later ones it leaves alone
            scheduler.scheduleIfNotExists(foreign.instance(second.getId()).scheduledTo(Instant.now().minusSeconds(1)));
        }

        // when / then: it is counted while due, and no longer once it is gone
        Await.until(series + " at 1", () -> scrape().getOrDefault(series, 0.0) == 1.0);
        assertThat(scrape()).containsKey("sluice_task_queue_depth{task=\"batch-chunk\"}");
        for (TaskInstanceId id : List.of(first, second)) {
            if (scheduler.getScheduledExecution(id).filter(e -> !e.isPicked()).isPresent()) {
                scheduler.cancel(id);
            }
        }
        Await.until(series + " at 0", () -> scrape().getOrDefault(series, -1.0) == 0.0);
    }

    private boolean picked(TaskInstanceId id) {
        return scheduler.getScheduledExecution(id).map(e -> e.isPicked()).orElse(false);
    }

    @Test
    void notification_attempts_are_counted_as_failed_and_succeeded() throws IOException {
        // given a URL nothing listens on (two attempts: one wait configured) and a receiver that accepts
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Double> before = scrape();
        String failing = createJob("{\"name\":\"ops hook down\",\"operation\":\"verify\",\"notification\":{\"url\":"
                + "\"http://127.0.0.1:" + closedPort + "/hook\",\"method\":\"POST\"}}");
        String working = createJob("{\"name\":\"ops hook up\",\"operation\":\"verify\",\"notification\":{\"url\":"
                + "\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\",\"method\":\"POST\"}}");

        // when a batch of each completes and their deliveries settle
        postInlineAndAwait(failing, "{\"records\":[\"d@example.com\"]}");
        postInlineAndAwait(working, "{\"records\":[\"e@example.com\"]}");
        Await.until("both deliveries final", () -> deliveryStatus(failing).equals("failed") && deliveryStatus(working).equals("delivered"));

        // then
        Map<String, Double> after = scrape();
        assertThat(after.get("sluice_deliveries_failed_total") - before.getOrDefault("sluice_deliveries_failed_total", 0.0))
                .isEqualTo(2.0);
        assertThat(after.get("sluice_deliveries_succeeded_total")
                - before.getOrDefault("sluice_deliveries_succeeded_total", 0.0)).isEqualTo(1.0);
    }

    @Test
    void prometheus_scrape_needs_no_key_and_carries_no_account_or_job_ids() {
        Http.Response response = http.get("/actuator/prometheus", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(response.text()).contains("sluice_records_processed_total", "sluice_batches",
                "sluice_task_queue_depth", "sluice_deliveries_failed_total", "sluice_deliveries_succeeded_total",
                "dbscheduler_task_duration_seconds");
        assertThat(response.text()).doesNotContainPattern("(acc|job|bat|dlv)_[0-9A-Za-z]{10,}");
    }

    // ---- OpenAPI ----

    @Test
    void openapi_document_and_its_browsable_ui_are_served() throws IOException, InterruptedException {
        Http.Response document = http.get("/api/v1/openapi.json", null);
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().get("openapi").asString()).startsWith("3.");
        assertThat(document.json().get("paths").has("/api/v1/jobs")).isTrue();
        assertThat(document.json().get("paths").has("/actuator/health")).isFalse();

        HttpResponse<Void> docs = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/docs")).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(docs.statusCode()).isEqualTo(302);
        String location = docs.headers().firstValue("Location").orElseThrow();
        Http.Response ui = http.get(URI.create("http://127.0.0.1:" + port).resolve(location).toString(), null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).containsIgnoringCase("swagger-ui");
        Http.Response config = http.get("/api/v1/openapi.json/swagger-config", null);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("url").asString()).isEqualTo("/api/v1/openapi.json");
    }

    // ---- helpers ----

    /** The scrape as {@code name{labels}} to value, labels in the order the registry writes them. */
    Map<String, Double> scrape() {
        Http.Response response = http.get("/actuator/prometheus", null);
        assertThat(response.status()).isEqualTo(200);
        Map<String, Double> values = new java.util.HashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)");
        for (String text : response.text().split("\n")) {
            Matcher m = line.matcher(text);
            if (!text.startsWith("#") && m.find()) {
                values.put(withoutApplicationTag(m.group(1)), Double.parseDouble(m.group(2)));
            }
        }
        return values;
    }

    private static String withoutApplicationTag(String series) {
        return series.replaceAll(",?application=\"[^\"]*\"", "").replace("{,", "{").replace("{}", "");
    }

    String createJob(String body) {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY, body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    JsonNode postInlineAndAwait(String jobId, String body) {
        Http.Response created = http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY, body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode batch = awaitFinal(jobId, created.json().get("id").asString());
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        return batch;
    }

    JsonNode awaitFinal(String jobId, String batchId) {
        return Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId);
    }

    String deliveryStatus(String jobId) {
        JsonNode items = http.get("/api/v1/jobs/" + jobId + "/deliveries", ADMIN_KEY).json().get("items");
        return items.isEmpty() ? "none" : items.get(0).get("status").asString();
    }

    long countCompletedBatches() {
        long completed = 0;
        for (JsonNode job : http.get("/api/v1/jobs?limit=100", ADMIN_KEY).json().get("items")) {
            completed += job.get("batches").get("completed").asLong();
        }
        return completed;
    }
}
