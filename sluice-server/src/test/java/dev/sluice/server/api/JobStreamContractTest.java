package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/jobs/{id}/stream} over real HTTP: the key and the account are checked like
 * everywhere, events follow the job as it runs, the stream ends once the job is final, and the number of
 * open streams is bounded. The same contract on every store (one run per {@link TestDatabase}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JobStreamContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_stream_tests";
    static final int MAX_OPEN = 3;
    static final int MAX_OPEN_PER_ACCOUNT = 2;
    static final String FIVE_ADDRESSES = "email\nann@example.com\nnot-an-address\nbob@example.org\n"
            + "carl@example.net\ndora@@example.com\n";

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    JobStreams streams;

    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<EventReader> opened = new ArrayList<>();
    Http http;

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "2"),
                Map.entry("sluice.stream.poll-interval", "100ms"),
                Map.entry("sluice.stream.max-open", String.valueOf(MAX_OPEN)),
                Map.entry("sluice.stream.max-open-per-account", String.valueOf(MAX_OPEN_PER_ACCOUNT)),
                Map.entry("sluice.drop.enabled", "false"));
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    @BeforeEach
    void client() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    @AfterEach
    void closeStreams() {
        opened.forEach(EventReader::close);
    }

    // ---- who may watch ----

    @Test
    void stream_without_a_key_or_with_a_wrong_one_answers_401_problem_details() throws Exception {
        String jobId = createJob("unwatched");

        HttpResponse<String> none = get(jobId, null);
        HttpResponse<String> wrong = get(jobId, "sk_not_a_key");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(none.body()).get("code").asString()).isEqualTo("unauthorized");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void another_accounts_job_and_an_unknown_job_answer_404() throws Exception {
        // given a job of the admin account and a second account
        String jobId = createJob("private");
        String otherKey = Tenant.create(http, ADMIN_KEY, "tenant b").key();

        // when the other account asks to watch it
        HttpResponse<String> other = get(jobId, otherKey);

        // then it does not exist for them, as an unknown id does not
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json.readTree(other.body()).get("code").asString()).isEqualTo("not_found");
        assertThat(get("job_00000000000000000000000000", ADMIN_KEY).statusCode()).isEqualTo(404);
        assertThat(streams.openCount()).isZero();
    }

    // ---- what it sends ----

    @Test
    void events_follow_the_job_from_waiting_to_completed_and_the_stream_ends_when_it_is_final() throws Exception {
        // given a job without batches, watched
        String jobId = createJob("watched");
        EventReader reader = open(jobId);

        // then the stream starts with the job as it is and its log so far
        Sse first = reader.next();
        assertThat(first.name()).isEqualTo("job");
        assertThat(first.data().get("id").asString()).isEqualTo(jobId);
        assertThat(first.data().get("state").asString()).isEqualTo("waiting");
        assertThat(first.data().get("progress").asDouble()).isZero();
        Sse created = reader.next();
        assertThat(created.name()).isEqualTo("log");
        assertThat(created.data().get("type").asString()).isEqualTo("job_created");
        assertThat(created.id()).isEqualTo(created.data().get("id").asString());

        // when a file of five addresses is uploaded
        assertThat(http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "five.csv",
                FIVE_ADDRESSES.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);

        // then events arrive until the job is completed, and the server ends the stream after "end"
        List<Sse> events = reader.rest();
        assertThat(reader.ended()).isTrue();
        assertThat(events).last().satisfies(end -> {
            assertThat(end.name()).isEqualTo("end");
            assertThat(end.data().get("reason").asString()).isEqualTo("final");
        });
        List<JsonNode> jobs = data(events, "job");
        JsonNode last = jobs.get(jobs.size() - 1);
        assertThat(last.get("state").asString()).isEqualTo("completed");
        assertThat(last.get("progress").asDouble()).isEqualTo(100.0);
        assertThat(last.get("records").get("valid").asLong()).isEqualTo(3);
        assertThat(last.get("records").get("invalid").asLong()).isEqualTo(2);
        // only changes are sent, and progress never goes back
        for (int i = 1; i < jobs.size(); i++) {
            assertThat(jobs.get(i)).isNotEqualTo(jobs.get(i - 1));
            assertThat(jobs.get(i).get("progress").asDouble()).isGreaterThanOrEqualTo(jobs.get(i - 1).get("progress").asDouble());
        }
        List<String> batchStatuses = data(events, "batch").stream().map(b -> b.get("status").asString()).toList();
        assertThat(batchStatuses).last().isEqualTo("completed");
        assertThat(List.of("queued", "loading", "in_progress", "completed")).containsSubsequence(
                batchStatuses.stream().distinct().toList());
        List<String> logTypes = data(events, "log").stream().map(e -> e.get("type").asString()).toList();
        assertThat(logTypes).containsSubsequence("batch_queued", "batch_loaded", "records_processed", "batch_completed")
                .doesNotContain("job_created");
        assertThat(streams.openCount()).isZero();
    }

    @Test
    void a_completed_job_sends_its_final_state_and_log_then_ends_at_once() throws Exception {
        // given a job that already ran to the end
        String jobId = createJob("done before");
        http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "five.csv",
                FIVE_ADDRESSES.getBytes(StandardCharsets.UTF_8));
        EventReader waiter = open(jobId);
        waiter.rest();

        // when it is watched
        EventReader reader = open(jobId);
        List<Sse> events = reader.rest();

        // then one snapshot of everything, then the end
        assertThat(events.stream().map(Sse::name).distinct()).containsExactly("job", "batch", "log", "end");
        assertThat(data(events, "job")).singleElement()
                .satisfies(job -> assertThat(job.get("state").asString()).isEqualTo("completed"));
        assertThat(data(events, "batch")).singleElement()
                .satisfies(batch -> assertThat(batch.get("status").asString()).isEqualTo("completed"));
        assertThat(data(events, "log").get(0).get("type").asString()).isEqualTo("job_created");
        assertThat(reader.ended()).isTrue();
    }

    // ---- bounds ----

    @Test
    void streams_beyond_the_limit_answer_429_until_one_ends_and_cancelled_or_deleted_jobs_end_theirs()
            throws Exception {
        // given as many open streams as one account may hold, on jobs waiting for files
        String first = createJob("waits 1");
        String second = createJob("waits 2");
        EventReader one = open(first);
        EventReader two = open(second);
        assertThat(one.next().name()).isEqualTo("job");
        assertThat(two.next().name()).isEqualTo("job");

        // when one more is asked for
        HttpResponse<String> refused = get(createJob("waits 3"), ADMIN_KEY);

        // then it is refused with a reason
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json.readTree(refused.body()).get("code").asString()).isEqualTo("too_many_streams");

        // when the first job is cancelled and the second deleted
        assertThat(http.postJson("/api/v1/jobs/" + first + "/cancel", ADMIN_KEY, "{}").status()).isEqualTo(200);
        List<Sse> cancelled = one.rest();
        assertThat(http.delete("/api/v1/jobs/" + second, ADMIN_KEY).status()).isEqualTo(204);
        List<Sse> deleted = two.rest();

        // then their streams end, saying why
        assertThat(data(cancelled, "job")).last().satisfies(job -> assertThat(job.get("state").asString()).isEqualTo("cancelled"));
        assertThat(cancelled).last().satisfies(e -> assertThat(e.data().get("reason").asString()).isEqualTo("final"));
        assertThat(deleted).last().satisfies(e -> {
            assertThat(e.name()).isEqualTo("end");
            assertThat(e.data().get("reason").asString()).isEqualTo("deleted");
        });
        assertThat(one.ended()).isTrue();
        assertThat(two.ended()).isTrue();

        // and their slots are free again
        String third = createJob("waits 4");
        EventReader again = open(third);
        assertThat(again.next().name()).isEqualTo("job");
        http.postJson("/api/v1/jobs/" + third + "/cancel", ADMIN_KEY, "{}");
        assertThat(again.rest()).last().satisfies(e -> assertThat(e.name()).isEqualTo("end"));
    }

    @Test
    void one_account_cannot_hold_every_stream_slot_of_the_node() throws Exception {
        // given the admin account holding its limit of streams
        EventReader one = open(createJob("admin 1"));
        EventReader two = open(createJob("admin 2"));
        assertThat(one.next().name()).isEqualTo("job");
        assertThat(two.next().name()).isEqualTo("job");
        String tenantB = Tenant.create(http, ADMIN_KEY, "stream b").key();
        String tenantC = Tenant.create(http, ADMIN_KEY, "stream c").key();

        // when the admin asks for one more, and another account for its first
        HttpResponse<String> adminRefused = get(createJob("admin 3"), ADMIN_KEY);
        String jobB = createJob("b", tenantB);
        EventReader forB = open(jobB, tenantB);

        // then the admin is refused for its own limit while the other account is served
        assertThat(adminRefused.statusCode()).isEqualTo(429);
        JsonNode problem = json.readTree(adminRefused.body());
        assertThat(problem.get("code").asString()).isEqualTo("too_many_streams");
        assertThat(problem.get("detail").asString()).contains("this account");
        assertThat(forB.next().name()).isEqualTo("job");
        assertThat(streams.openCount()).isEqualTo(MAX_OPEN);

        // and with the node full a third account meets the node's limit
        HttpResponse<String> nodeRefused = get(createJob("c", tenantC), tenantC);
        assertThat(nodeRefused.statusCode()).isEqualTo(429);
        assertThat(json.readTree(nodeRefused.body()).get("detail").asString()).contains("this node");
    }

    @Test
    void openapi_document_describes_the_stream() {
        JsonNode operation = http.get("/api/v1/openapi.json", null).json()
                .get("paths").get("/api/v1/jobs/{jobId}/stream").get("get");

        assertThat(operation.get("summary").asString()).contains("server-sent events");
        assertThat(operation.get("responses").get("200").get("content").has("text/event-stream")).isTrue();
        assertThat(operation.get("responses").has("429")).isTrue();
    }

    // ---- helpers ----

    /** One server-sent event: its name, id and JSON data. */
    record Sse(String name, String id, JsonNode data) {
    }

    /** Reads events off an open stream, one at a time, blocking until each arrives. */
    final class EventReader implements AutoCloseable {
        private final Stream<String> body;
        private final Iterator<String> lines;
        private boolean ended;

        EventReader(Stream<String> body) {
            this.body = body;
            this.lines = body.iterator();
        }

        /** The next event; fails if the stream ends first. */
        Sse next() {
            Sse event = read();
            assertThat(event).as("an event before the end of the stream").isNotNull();
            return event;
        }

        /** Every event up to the end of the stream (which the server must close). */
        List<Sse> rest() {
            List<Sse> events = new ArrayList<>();
            for (Sse event = read(); event != null; event = read()) {
                events.add(event);
            }
            return events;
        }

        boolean ended() {
            return ended;
        }

        private Sse read() {
            String name = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        return new Sse(name, id, json.readTree(data.toString()));
                    }
                    name = "message";
                    id = null;
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                        default -> {
                        }
                    }
                }
            }
            ended = true;
            return null;
        }

        @Override
        public void close() {
            body.close();
        }
    }

    private EventReader open(String jobId) throws IOException, InterruptedException {
        return open(jobId, ADMIN_KEY);
    }

    private EventReader open(String jobId, String key) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = client.send(request(jobId, key), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String body = response.body().collect(Collectors.joining("\n"));
            throw new AssertionError("the stream answered " + response.statusCode() + ": " + body);
        }
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        EventReader reader = new EventReader(response.body());
        opened.add(reader);
        return reader;
    }

    private HttpResponse<String> get(String jobId, String key) throws IOException, InterruptedException {
        return client.send(request(jobId, key), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String jobId, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + jobId + "/stream"))
                .header("Accept", "text/event-stream");
        if (key != null) {
            builder.header("x-api-key", key);
        }
        return builder.GET().build();
    }

    private String createJob(String name) {
        return createJob(name, ADMIN_KEY);
    }

    private String createJob(String name, String key) {
        Http.Response created = http.postJson("/api/v1/jobs", key,
                "{\"name\":\"" + name + "\",\"operation\":\"verify\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static List<JsonNode> data(List<Sse> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).map(Sse::data).toList();
    }
}
