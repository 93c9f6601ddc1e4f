package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The client against a real HTTP server on loopback that answers with canned bodies and records what it
 * received: proves headers, paths, bodies, streaming and error handling on the wire.
 */
class SluiceClientTest {

    private HttpServer server;
    private SluiceClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    record Answer(int status, String contentType, String body) {
    }

    @BeforeEach
    void start_server() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        client = SluiceClient.builder()
                .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                .apiKey("sk_test")
                .build();
    }

    @AfterEach
    void stop_server() {
        client.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getRawPath();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
        Answer answer = queue == null || queue.isEmpty() ? new Answer(404, "application/problem+json",
                "{\"title\":\"Not Found\",\"status\":404,\"code\":\"not_found\"}")
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        try (var os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private void answer(String request, int status, String json) {
        answers.computeIfAbsent(request, k -> new ArrayDeque<>()).add(new Answer(status, "application/json", json));
    }

    @Test
    void create_job_posts_snake_case_json_with_the_api_key() {
        // given
        answer("POST /api/v1/jobs", 201, """
                {"id":"job_1","name":"march","operation":"verify","status":"created","output_format":"csv"}
                """);

        // when
        Job job = client.createJob(CreateJob.verify("march", OutputFormat.CSV));

        // then
        assertThat(job.id()).isEqualTo("job_1");
        Received request = received.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("x-api-key")).isEqualTo("sk_test");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(Json.MAPPER.readValue(request.body(), Map.class))
                .isEqualTo(Map.of("name", "march", "operation", "verify", "output_format", "csv"));
    }

    @Test
    void create_job_with_an_idempotency_key_sends_it() {
        answer("POST /api/v1/jobs", 200, "{\"id\":\"job_1\"}");

        client.createJob(CreateJob.verify("march", OutputFormat.CSV), "run-2026-11-23");

        assertThat(received.getFirst().header("Idempotency-Key")).isEqualTo("run-2026-11-23");
    }

    @Test
    void create_batch_file_posts_an_empty_object_to_the_jobs_batch_files() {
        answer("POST /api/v1/jobs/job_1/batch-files", 201, """
                {"id":"bat_1","job_id":"job_1","status":"waiting_for_upload","upload_url":"http://x/u"}
                """);

        BatchFile file = client.createBatchFile("job_1");

        assertThat(file.id()).isEqualTo("bat_1");
        assertThat(file.status()).isEqualTo(BatchStatus.WAITING_FOR_UPLOAD);
        assertThat(new String(received.getFirst().body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void error_answer_throws_the_servers_problem() {
        answers.computeIfAbsent("GET /api/v1/jobs/job_1/batches/bat_1/result", k -> new ArrayDeque<>())
                .add(new Answer(409, "application/problem+json", """
                        {"type":"about:blank","title":"Conflict","status":409,
                         "detail":"batch bat_1 is in_progress","code":"batch_not_completed"}
                        """));

        assertThatThrownBy(() -> client.result("job_1", "bat_1"))
                .isInstanceOfSatisfying(SluiceApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("batch_not_completed");
                    assertThat(e.problem().detail()).isEqualTo("batch bat_1 is in_progress");
                    assertThat(e.request()).isEqualTo("GET /api/v1/jobs/job_1/batches/bat_1/result");
                });
    }

    @Test
    void ids_are_escaped_in_paths() {
        answer("GET /api/v1/jobs/a%20b%2Fc", 200, "{\"id\":\"a b/c\"}");

        assertThat(client.job("a b/c").id()).isEqualTo("a b/c");
    }

    @Test
    void upload_puts_the_file_as_csv_without_the_api_key(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("in.csv");
        Files.writeString(file, "id,email\n1,a@example.com\n");
        answer("PUT /uploads/bat_1", 200, "{}");

        // when
        client.upload(client.baseUri() + "/uploads/bat_1?expires=9&signature=s", file);

        // then
        Received request = received.getFirst();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/uploads/bat_1?expires=9&signature=s");
        assertThat(request.header("Content-Type")).isEqualTo("text/csv");
        assertThat(request.header("x-api-key")).isNull();
        assertThat(request.body()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void upload_of_a_missing_file_says_which_file() {
        assertThatThrownBy(() -> client.upload(client.baseUri() + "/uploads/bat_1", Path.of("/no/such.csv")))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("/no/such.csv");
    }

    @Test
    void download_streams_the_result_into_the_target_file(@TempDir Path dir) throws IOException {
        answers.computeIfAbsent("GET /downloads/res_1", k -> new ArrayDeque<>())
                .add(new Answer(200, "text/csv", "id,email,verdict\n1,a@example.com,valid\n"));
        Path target = dir.resolve("out.csv");

        client.download(client.baseUri() + "/downloads/res_1?sig=x", target);

        assertThat(target).hasContent("id,email,verdict\n1,a@example.com,valid\n");
    }

    @Test
    void download_over_a_longer_existing_file_leaves_only_the_result(@TempDir Path dir) throws IOException {
        answers.computeIfAbsent("GET /downloads/res_1", k -> new ArrayDeque<>())
                .add(new Answer(200, "text/csv", "id,email\n1,a@example.com\n"));
        Path target = dir.resolve("out.csv");
        java.nio.file.Files.writeString(target, "an earlier result, longer than the new one\n".repeat(10));

        client.download(client.baseUri() + "/downloads/res_1?sig=x", target);

        assertThat(target).hasContent("id,email\n1,a@example.com\n");
    }

    @Test
    void download_refused_by_the_server_throws_and_writes_no_file(@TempDir Path dir) {
        answers.computeIfAbsent("GET /downloads/res_1", k -> new ArrayDeque<>())
                .add(new Answer(410, "application/problem+json",
                        "{\"title\":\"Gone\",\"status\":410,\"code\":\"url_expired\"}"));
        Path target = dir.resolve("out.csv");

        assertThatThrownBy(() -> client.download(client.baseUri() + "/downloads/res_1?sig=x", target))
                .isInstanceOfSatisfying(SluiceApiException.class, e -> assertThat(e.code()).isEqualTo("url_expired"))
                .hasMessageNotContaining("sig=x");
        assertThat(target).doesNotExist();
    }

    @Test
    void wait_for_batch_polls_until_a_terminal_status() {
        // given
        String path = "GET /api/v1/jobs/job_1/batches/bat_1";
        answer(path, 200, "{\"id\":\"bat_1\",\"status\":\"queued\"}");
        answer(path, 200, "{\"id\":\"bat_1\",\"status\":\"in_progress\",\"progress\":50}");
        answer(path, 200, "{\"id\":\"bat_1\",\"status\":\"completed\",\"progress\":100}");
        List<BatchStatus> seen = new CopyOnWriteArrayList<>();

        // when
        Batch batch = client.waitForBatch("job_1", "bat_1", Duration.ofSeconds(10), b -> seen.add(b.status()));

        // then
        assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(seen).containsExactly(BatchStatus.QUEUED, BatchStatus.IN_PROGRESS, BatchStatus.COMPLETED);
    }

    @Test
    void wait_for_batch_gives_up_after_the_timeout() {
        answer("GET /api/v1/jobs/job_1/batches/bat_1", 200, "{\"id\":\"bat_1\",\"status\":\"in_progress\"}");

        assertThatThrownBy(() -> client.waitForBatch("job_1", "bat_1", Duration.ofMillis(300)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("still in_progress");
    }

    @Test
    void unreachable_server_throws_a_client_exception_naming_the_server() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (SluiceClient offline = SluiceClient.builder()
                .baseUri(URI.create("http://127.0.0.1:" + port)).apiKey("k").build()) {
            assertThatThrownBy(() -> offline.job("job_1"))
                    .isInstanceOf(SluiceException.class)
                    .isNotInstanceOf(SluiceApiException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }
}
