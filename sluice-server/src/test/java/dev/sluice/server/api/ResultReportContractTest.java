package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.RetentionPurge;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.OwnServers;
import dev.sluice.server.support.TestClock;
import dev.sluice.server.support.TestBlobs;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Filtered result downloads and a verify job's report, end to end on every store (as {@link ApiContractTest}:
 * SQLite, PostgreSQL, PostgreSQL with S3 and redirects). Chunks of two records, so every result is assembled
 * from several parts; offline checks only, so the verdicts are valid or invalid.
 */
@ParameterizedClass(name = "{0}, {1} blobs")
@MethodSource("dev.sluice.server.api.ApiContractTest#stores")
class ResultReportContractTest {

    static final String ADMIN_KEY = ApiContractTest.ADMIN_KEY;

    /** Quoted commas, quotes and newlines, an empty cell, a formula, two invalid addresses. */
    static final String FILE = """
            name,email,note
            "Smith, Ann",ann@example.com,first
            Bob,not-an-email,"x ""y""\"
            Cy,cy@example.net,"two
            lines"
            Dee,info@example.org,
            Eve,eve@@example.com,z
            Fay,fay@example.com,=1+1
            """;

    static TestServer server;

    @Parameter(0)
    TestDatabase database;

    @Parameter(1)
    TestBlobs blobs;

    @LocalServerPort
    int port;

    @Autowired
    BlobStorage storage;

    @Autowired
    BatchLifecycle batches;

    @Autowired
    RetentionPurge purge;

    /** Servers a test started for itself, closed after it. */
    @RegisterExtension
    final OwnServers own = new OwnServers();

    Http http;

    static Map<String, String> properties(TestBlobs blobs) {
        Map<String, String> properties = new HashMap<>(ApiContractTest.properties(blobs));
        properties.put("sluice.job.chunk-size", "2");
        return properties;
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database, TestBlobs blobs) {
        server = TestServer.start(database, blobs, properties(blobs));
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    @BeforeEach
    void client() {
        use(server);
    }

    private void use(TestServer target) {
        target.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void filtered_csv_keeps_the_header_the_quoting_and_the_order_of_the_asked_rows() {
        // given
        Done done = verify("csv", FILE);
        String full = text(fetch(link(done, "").get("download_url").asString()));

        // when
        JsonNode link = link(done, "?status=valid");
        String filtered = text(fetch(link.get("download_url").asString()));

        // then
        List<List<String>> all = csv(full);
        List<List<String>> rows = csv(filtered);
        int status = all.get(0).indexOf("sluice_status");
        assertThat(rows.get(0)).isEqualTo(all.get(0));
        assertThat(rows.subList(1, rows.size())).isEqualTo(all.stream().skip(1)
                .filter(row -> row.get(status).equals("valid")).toList());
        assertThat(rows).extracting(row -> row.get(0)).containsExactly("name", "Smith, Ann",
                "Cy", "Dee", "Fay");
        assertThat(link.get("records").asLong()).isEqualTo(4);
        assertThat(link.get("format").asString()).isEqualTo("csv");
        assertThat(filtered).contains("\"Smith, Ann\",").contains("\"two\nlines\"").contains(",'=1+1,");
        assertThat(URI.create(link.get("download_url").asString()).getPath()).endsWith("_result_valid.csv");
    }

    @Test
    void filtered_json_and_ndjson_keep_the_asked_objects_in_order() {
        for (String format : List.of("json", "ndjson")) {
            Done done = verify(format, FILE);

            JsonNode link = link(done, "?status=invalid,accept_all");
            String filtered = text(fetch(link.get("download_url").asString()));

            List<JsonNode> rows = format.equals("json") ? list(JsonMapper.builder().build().readTree(filtered))
                    : filtered.lines().map(line -> JsonMapper.builder().build().readTree(line)).toList();
            assertThat(rows).extracting(row -> row.get("email").asString())
                    .containsExactly("not-an-email", "eve@@example.com");
            assertThat(rows).extracting(row -> row.get("sluice_row").asLong()).containsExactly(2L, 5L);
            assertThat(rows.get(0).get("note").asString()).isEqualTo("x \"y\"");
            assertThat(link.get("records").asLong()).isEqualTo(2);
        }
    }

    @Test
    void a_filter_is_made_once_and_its_file_reused_then_deleted_with_the_job() throws IOException {
        Done done = verify("csv", FILE);
        String first = text(fetch(link(done, "?status=valid,invalid").get("download_url").asString()));
        String key = BlobKeys.filtered(batches.find(done.batchId()).orElseThrow(), "valid-invalid");
        assertThat(storage.exists(key)).isTrue();
        storage.write(key, out -> out.write("kept from the first request\n".getBytes(StandardCharsets.UTF_8)));

        // asked again, spelled otherwise: the stored copy answers
        String second = text(fetch(link(done, "?status=INVALID,%20valid").get("download_url").asString()));

        assertThat(first.lines()).hasSize(8);
        assertThat(second).isEqualTo("kept from the first request\n");
        assertThat(http.delete("/api/v1/jobs/" + done.jobId(), ADMIN_KEY).status()).isEqualTo(204);
        dev.sluice.server.support.Await.until("the filtered copy is purged with its job", () -> {
            try {
                return !storage.exists(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void filtered_copies_go_with_the_result_at_retention_and_the_report_stays() throws IOException {
        // given a server of this test's own, whose clock moves, and a job kept one hour
        TestClock clock = new TestClock();
        use(own.start(database, clock, properties(TestBlobs.LOCAL)));
        Http.Response job = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"kept an hour\",\"operation\":\"verify\",\"retention_hours\":1}");
        String jobId = job.json().get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "list.csv",
                FILE.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId);
        Done done = new Done(jobId, batchId);
        link(done, "?status=valid");
        String key = BlobKeys.filtered(batches.find(batchId).orElseThrow(), "valid");
        assertThat(storage.exists(key)).isTrue();

        // when the result expires and is purged
        clock.advance(Duration.ofMinutes(61));
        assertThat(purge.purgeExpired()).isEqualTo(1);

        // then the filtered copy went with it, asking for one answers 410, and the report still answers
        assertThat(storage.exists(key)).isFalse();
        assertThat(http.get(resultPath(done) + "?status=valid", ADMIN_KEY).status()).isEqualTo(410);
        JsonNode report = http.get("/api/v1/jobs/" + jobId + "/report", ADMIN_KEY).json();
        assertThat(report.get("total").get("statuses").get("valid").asLong()).isEqualTo(4);
    }

    @Test
    void the_openapi_document_describes_the_filter_and_the_report() {
        String document = http.get("/api/v1/openapi.json", null).text();

        assertThat(document).contains("/api/v1/jobs/{jobId}/report", "\"safe_to_send\"");
    }

    @Test
    void bad_filters_answer_400_naming_the_value() {
        Done done = verify("csv", FILE);

        Http.Response status = http.get(resultPath(done) + "?status=valid,great", ADMIN_KEY);
        Http.Response safe = http.get(resultPath(done) + "?safe_to_send=yes", ADMIN_KEY);

        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().get("detail").asString()).contains("\"great\"");
        assertThat(safe.status()).isEqualTo(400);
        assertThat(safe.json().get("detail").asString()).contains("\"yes\"");
    }

    @Test
    void safe_to_send_keeps_the_valid_rows_that_are_neither_role_nor_disposable() {
        Done done = verify("csv", FILE);

        JsonNode link = link(done, "?status=valid&safe_to_send=true");
        List<List<String>> rows = csv(text(fetch(link.get("download_url").asString())));

        // Dee's info@ is valid but a role mailbox: not safe to send
        assertThat(rows).extracting(row -> row.get(0)).containsExactly("name", "Smith, Ann", "Cy", "Fay");
        int safe = rows.get(0).indexOf("sluice_safe_to_send");
        assertThat(rows.stream().skip(1)).allSatisfy(row -> assertThat(row.get(safe)).isEqualTo("true"));
        assertThat(link.get("records").asLong()).isEqualTo(3);
    }

    @Test
    void the_report_adds_up_to_the_batch_counters_for_each_batch_and_the_job() throws IOException {
        // given a job of two batches
        Done one = verify("csv", FILE);
        String second = http.postJson("/api/v1/jobs/" + one.jobId() + "/batches", ADMIN_KEY,
                "[\"zed@example.com\",\"yan@example.com\",\"bad@\"]").json().get("id").asString();
        JsonNode secondBatch = Batches.awaitFinal(http, ADMIN_KEY, one.jobId(), second);

        // when
        JsonNode report = http.get("/api/v1/jobs/" + one.jobId() + "/report", ADMIN_KEY).json();

        // then
        assertThat(report.get("job_id").asString()).isEqualTo(one.jobId());
        assertThat(report.get("uncounted").asInt()).isZero();
        assertThat(report.get("batches")).hasSize(2);
        for (JsonNode entry : report.get("batches")) {
            JsonNode counters = Batches.get(http, ADMIN_KEY, one.jobId(), entry.get("batch_id").asString())
                    .get("records");
            JsonNode statuses = entry.get("counts").get("statuses");
            for (String name : List.of("valid", "invalid", "accept_all", "unknown")) {
                assertThat(statuses.get(name).asLong()).as(name).isEqualTo(counters.get(name).asLong());
            }
            assertThat(sum(entry.get("counts").get("reasons"))).isEqualTo(counters.get("processed").asLong());
            assertThat(entry.get("counts").get("providers").isEmpty()).isTrue();
        }
        JsonNode total = report.get("total");
        assertThat(total.get("records").asLong()).isEqualTo(9);
        assertThat(total.get("statuses").get("valid").asLong())
                .isEqualTo(4 + secondBatch.get("records").get("valid").asLong());
        assertThat(total.get("statuses").get("invalid").asLong()).isEqualTo(3);
        assertThat(total.get("top_domains").get(0).get("domain").asString()).isEqualTo("example.com");
        assertThat(total.get("top_domains").get(0).get("records").asLong()).isEqualTo(5);
    }

    @Test
    void a_result_assembled_before_reports_existed_is_counted_on_first_request() throws IOException {
        Done done = verify("ndjson", FILE);
        String key = BlobKeys.report(batches.find(done.batchId()).orElseThrow());
        storage.delete(key);

        JsonNode report = http.get("/api/v1/jobs/" + done.jobId() + "/report", ADMIN_KEY).json();

        assertThat(report.get("total").get("statuses").get("valid").asLong()).isEqualTo(4);
        assertThat(sum(report.get("total").get("reasons"))).isEqualTo(6);
        assertThat(storage.exists(key)).isTrue();
    }

    record Done(String jobId, String batchId) {
    }

    private Done verify(String format, String file) {
        Http.Response job = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"report\",\"operation\":\"verify\",\"output_format\":\"" + format + "\"}");
        assertThat(job.status()).isEqualTo(201);
        String jobId = job.json().get("id").asString();
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "list.csv",
                file.getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).isEqualTo(201);
        String batchId = created.json().get("id").asString();
        assertThat(Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId).get("status").asString()).isEqualTo("completed");
        return new Done(jobId, batchId);
    }

    private static String resultPath(Done done) {
        return "/api/v1/jobs/" + done.jobId() + "/batches/" + done.batchId() + "/result";
    }

    private JsonNode link(Done done, String query) {
        Http.Response response = http.get(resultPath(done) + query, ADMIN_KEY);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Downloads a signed link, following a redirect to the bucket. */
    private static byte[] fetch(String url) {
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            return file.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(text).forEach((CsvRecord record) -> rows.add(record.getFields()));
        return rows;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> rows = new ArrayList<>();
        array.forEach(rows::add);
        return rows;
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode n : counts) {
            sum += n.asLong();
        }
        return sum;
    }
}
