package dev.sluice.server.export;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.support.Batches;
import dev.sluice.server.job.RetentionPurge;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.OwnServers;
import dev.sluice.server.support.TestClock;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The export operation end to end over real HTTP, on every store (one run per {@link TestDatabase}): a dataset written
 * in each format, fields and filter applied, the zip downloaded through the signed link and found in the
 * SFTP drop folder, a job's results exported, bad options refused at creation, and the retention purge.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class ExportApiTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_export_tests";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    RetentionPurge purge;

    @Autowired
    JdbcClient jdbc;

    Http http;

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.drop.port", "0"),
                Map.entry("sluice.drop.host", "127.0.0.1"));
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    /** The server this test talks to: the shared one, or its own after {@link #ownServerWithClock()}. */
    TestServer current;

    /** Servers a test started for itself, closed after it. */
    @RegisterExtension
    final OwnServers own = new OwnServers();

    Path dataDir() {
        return current.dataDir();
    }

    @BeforeEach
    void client() {
        use(server);
    }

    private void use(TestServer target) {
        current = target;
        target.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    /**
     * Starts a server of this test's own on a {@link TestClock} and talks to it from now on: a test that moves
     * time must never move the shared server's, or every other test's results would expire.
     */
    TestClock ownServerWithClock() {
        TestClock clock = new TestClock();
        use(own.start(database, clock, properties()));
        return clock;
    }

    // ---- dataset exports, one per format ----

    @Test
    void csv_export_applies_fields_and_filter_neutralises_formulas_and_lands_in_the_drop() throws Exception {
        // given
        String dataset = people();

        // when
        Export export = exportOf("{\"dataset\":\"" + dataset + "\",\"fields\":[\"id\",\"name\",\"score\"],"
                + "\"filter\":{\"city\":\"Paris\"}}", "csv");

        // then
        assertThat(export.batch().get("status").asString()).isEqualTo("completed");
        assertThat(export.batch().get("records").get("total").asLong()).isEqualTo(2);
        assertThat(export.batch().get("records").get("processed").asLong()).isEqualTo(2);
        assertThat(export.batch().get("records").get("completed").asLong()).isEqualTo(2);
        assertThat(export.batch().get("records").get("failed").asLong()).isZero();
        assertThat(export.entries()).containsOnlyKeys("export-" + dataset + ".csv");
        String csv = export.entries().get("export-" + dataset + ".csv");
        assertThat(csv).isEqualTo("id,name,score\r\n"
                + "1,\"'=HYPERLINK(\"\"http://evil.example.com\"\")\",12.50\r\n"
                + "2,\"Bob, \"\"the builder\"\"\",-3\r\n");
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(csv).forEach(rows::add);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).getField(1)).isEqualTo("'=HYPERLINK(\"http://evil.example.com\")");
        assertThat(rows.get(2).getField(1)).isEqualTo("Bob, \"the builder\"");
        assertThat(export.resultName()).isEqualTo("export-" + dataset + "-" + export.batchId() + ".csv.zip");
        List<String> drop = droppedAs(export.resultName());
        assertThat(drop).hasSize(1);
        assertThat(drop.getFirst()).matches("accounts/[^/]+/drop/exports/" + export.resultName());
        assertThat(Files.readAllBytes(dataDir().resolve("blobs").resolve(drop.getFirst()))).isEqualTo(export.zip());
        JsonNode job = http.get("/api/v1/jobs/" + export.jobId(), ADMIN_KEY).json();
        assertThat(job.get("records").get("total").asLong()).isEqualTo(2);
        assertThat(job.get("records").get("completed").asLong()).isEqualTo(2);
    }

    @Test
    void json_export_of_one_key_writes_typed_values() throws Exception {
        String dataset = people();

        Export export = exportOf("{\"dataset\":\"" + dataset + "\",\"filter\":{\"id\":\"3\"}}", "json");

        assertThat(export.batch().get("records").get("completed").asLong()).isEqualTo(1);
        String json = export.entries().get("export-" + dataset + ".json");
        assertThat(json).isEqualTo("[{\"id\":3,\"name\":\"Cid\",\"city\":\"Berlin\",\"score\":0.1,\"active\":false,"
                + "\"born\":\"1990-02-28\",\"seen\":\"2026-11-23T08:00:00Z\",\"note\":null}]");
    }

    @Test
    void ndjson_export_filters_on_a_boolean_and_keeps_odd_characters() throws Exception {
        String dataset = people();

        Export export = exportOf("{\"dataset\":\"" + dataset + "\",\"fields\":[\"note\",\"id\"],\"filter\":{\"active\":true},"
                + "\"format\":\"ndjson\"}", "csv");

        String ndjson = export.entries().get("export-" + dataset + ".ndjson");
        List<String> lines = ndjson.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("note").asString()).isEqualTo("line1\nline2 \"q\" <é> 😀");
        assertThat(JSON.readTree(lines.get(0)).get("id").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(lines.get(1)).get("note").isNull()).isTrue();
        assertThat(JSON.readTree(lines.get(1)).get("id").asLong()).isEqualTo(4);
        assertThat(export.resultName()).endsWith(".ndjson.zip");
    }

    @Test
    void xml_export_writes_a_record_element_per_record_and_no_element_for_null() throws Exception {
        String dataset = people();

        Export export = exportOf("{\"dataset\":\"" + dataset + "\",\"fields\":[\"id\",\"note\",\"born\"]}", "xml");

        assertThat(export.batch().get("records").get("completed").asLong()).isEqualTo(4);
        String xml = export.entries().get("export-" + dataset + ".xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("records");
        NodeList records = doc.getElementsByTagName("record");
        assertThat(records.getLength()).isEqualTo(4);
        Element first = (Element) records.item(0);
        assertThat(first.getElementsByTagName("id").item(0).getTextContent()).isEqualTo("1");
        assertThat(first.getElementsByTagName("note").item(0).getTextContent()).isEqualTo("line1\nline2 \"q\" <é> 😀");
        assertThat(first.getElementsByTagName("born").item(0).getTextContent()).isEqualTo("1980-01-01");
        Element second = (Element) records.item(1);
        assertThat(second.getElementsByTagName("note").getLength()).isZero();
        assertThat(second.getElementsByTagName("born").getLength()).isZero();
    }

    @Test
    void export_of_an_empty_selection_is_a_file_with_a_header_only() throws Exception {
        String dataset = people();

        Export export = exportOf("{\"dataset\":\"" + dataset + "\",\"fields\":[\"id\"],\"filter\":{\"city\":\"Rome\"}}", "csv");

        assertThat(export.batch().get("records").get("completed").asLong()).isZero();
        assertThat(export.entries().get("export-" + dataset + ".csv")).isEqualTo("id\r\n");
    }

    // ---- a job's results ----

    @Test
    void export_of_a_finished_jobs_results_zips_each_result_file() throws Exception {
        // given a verify job with two completed batches
        String jobId = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"to export\",\"operation\":\"verify\",\"output_format\":\"ndjson\"}").json().get("id").asString();
        List<String> batchIds = new ArrayList<>();
        for (String records : List.of("[\"a@example.com\",\"b@@example.com\"]", "[\"c@example.net\"]")) {
            Http.Response created = http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY,
                    "{\"records\":" + records + "}");
            assertThat(created.status()).isEqualTo(201);
            batchIds.add(created.json().get("id").asString());
        }
        for (String batchId : batchIds) {
            assertThat(awaitFinal(jobId, batchId).get("status").asString()).isEqualTo("completed");
        }

        // when
        Export export = exportOf("{\"job_id\":\"" + jobId + "\"}", "csv");

        // then
        assertThat(export.batch().get("records").get("completed").asLong()).isEqualTo(3);
        assertThat(export.resultName()).isEqualTo("export-" + jobId + "-" + export.batchId() + ".zip");
        assertThat(export.entries()).containsOnlyKeys(batchIds.get(0) + "_result.ndjson", batchIds.get(1) + "_result.ndjson");
        assertThat(export.entries().get(batchIds.get(0) + "_result.ndjson").lines()).hasSize(2);
        assertThat(export.entries().get(batchIds.get(1) + "_result.ndjson")).contains("c@example.net");
    }

    // ---- refused at creation ----

    @Test
    void bad_export_options_are_refused_with_400_when_the_job_is_created() {
        String dataset = people();

        assertRefused("{\"dataset\":\"no_such_dataset\"}", "csv", "no dataset named 'no_such_dataset'");
        assertRefused("{\"dataset\":\"" + dataset + "\",\"fields\":[\"id\",\"shoe_size\"]}", "csv",
                "'shoe_size' is not a column");
        assertRefused("{\"dataset\":\"" + dataset + "\",\"filter\":{\"id\":\"abc\"}}", "csv", "options.filter.id");
        assertRefused("{\"dataset\":\"" + dataset + "\",\"filter\":{\"born\":\"yesterday\"}}", "csv", "options.filter.born");
        assertRefused("{\"dataset\":\"" + dataset + "\",\"format\":\"yaml\"}", "csv", "yaml");
        assertRefused("{}", "csv", "exactly one source");
        assertRefused("{\"dataset\":\"" + dataset + "\",\"job_id\":\"job_x\"}", "csv", "exactly one source");
        assertRefused("{\"job_id\":\"job_does_not_exist\"}", "csv", "no job job_does_not_exist");
        assertRefused("{\"dataset\":\"" + dataset + "\",\"colour\":\"red\"}", "csv", "unknown export option 'colour'");
    }

    @Test
    void a_verify_job_refuses_xml_output() {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"v\",\"operation\":\"verify\",\"output_format\":\"xml\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
        assertThat(response.text()).contains("exports only");
    }

    // ---- retention ----

    @Test
    void purge_deletes_an_expired_result_and_its_drop_copy_and_keeps_the_counters() throws Exception {
        // given a completed export whose retention (72 hours) has passed
        TestClock clock = ownServerWithClock();
        String dataset = people();
        Export export = exportOf("{\"dataset\":\"" + dataset + "\"}", "csv");
        String resultPath = "/api/v1/jobs/" + export.jobId() + "/batches/" + export.batchId() + "/result";
        String downloadUrl = http.get(resultPath, ADMIN_KEY).json().get("download_url").asString();
        assertThat(blobsEndingWith("/" + export.batchId() + "/" + export.resultName())).hasSize(1);
        assertThat(droppedAs(export.resultName())).hasSize(1);
        clock.advance(Duration.ofHours(72).plusMinutes(1));

        // when
        int purged = purge.purgeExpired();
        int again = purge.purgeExpired();

        // then the files are gone everywhere, the batch and its counters stay, and asking answers 410
        assertThat(purged).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(blobsEndingWith("/" + export.batchId() + "/" + export.resultName())).isEmpty();
        assertThat(blobsEndingWith("/drop/exports/" + export.resultName())).isEmpty();
        Http.Response result = http.get(resultPath, ADMIN_KEY);
        assertThat(result.status()).isEqualTo(410);
        assertThat(result.json().get("code").asString()).isEqualTo("gone");
        assertThat(http.get(downloadUrl, null).status()).isEqualTo(410);
        JsonNode batch = http.get("/api/v1/jobs/" + export.jobId() + "/batches/" + export.batchId(), ADMIN_KEY).json();
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(batch.get("records").get("completed").asLong()).isEqualTo(4);
        assertThat(jdbc.sql("SELECT result_purged_at FROM batches WHERE id = :id").param("id", export.batchId())
                .query(Long.class).single()).isNotNull();
    }

    @Test
    void purge_leaves_unexpired_results_alone() throws Exception {
        String dataset = people();
        Export export = exportOf("{\"dataset\":\"" + dataset + "\",\"fields\":[\"id\"]}", "json");

        purge.purgeExpired();

        assertThat(droppedAs(export.resultName())).hasSize(1);
        assertThat(http.get("/api/v1/jobs/" + export.jobId() + "/batches/" + export.batchId() + "/result", ADMIN_KEY)
                .status()).isEqualTo(200);
    }

    @Test
    void purge_clears_the_chunk_leftovers_of_a_malformed_batch_once_its_jobs_retention_passed() throws Exception {
        // given a malformed batch with a leftover chunk, last changed 73 hours ago (retention: 72)
        TestClock clock = ownServerWithClock();
        String jobId = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"bad file\",\"operation\":\"verify\"}")
                .json().get("id").asString();
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "f.csv",
                "name\nAnn\n".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).isEqualTo(201);
        String batchId = created.json().get("id").asString();
        assertThat(awaitFinal(jobId, batchId).get("status").asString()).isEqualTo("malformed");
        List<String> inputs = blobsEndingWith("");
        String input = inputs.stream().filter(k -> k.contains("/" + batchId + "/input-")).findFirst().orElseThrow();
        Path leftover = dataDir().resolve("blobs").resolve(input).resolveSibling("chunks").resolve("0.csv");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "email\n");
        clock.advance(Duration.ofHours(73));

        // when
        int purged = purge.purgeExpired();

        // then the leftover is gone, the input and the batch's outcome stay
        assertThat(purged).isEqualTo(1);
        assertThat(Files.exists(leftover)).isFalse();
        assertThat(blobsEndingWith(input)).hasSize(1);
        JsonNode batch = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId, ADMIN_KEY).json();
        assertThat(batch.get("status").asString()).isEqualTo("malformed");
        assertThat(batch.get("error").get("code").asString()).isNotBlank();
    }

    @Test
    void the_retention_purge_is_one_recurring_task_in_the_scheduler() {
        long scheduled = jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = :name")
                .param("name", RetentionPurge.TASK).query(Long.class).single();

        assertThat(scheduled).isEqualTo(1);
    }

    // ---- fixtures ----

    /** A fresh dataset of four people; answers its name. */
    String people() {
        String name = "people_" + System.nanoTime();
        Http.Response created = http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name + "\",\"columns\":["
                + "{\"name\":\"id\",\"type\":\"integer\"},{\"name\":\"name\",\"type\":\"string\"},"
                + "{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"score\",\"type\":\"decimal\"},"
                + "{\"name\":\"active\",\"type\":\"boolean\"},{\"name\":\"born\",\"type\":\"date\"},"
                + "{\"name\":\"seen\",\"type\":\"timestamp\"},{\"name\":\"note\",\"type\":\"string\"}],\"key\":[\"id\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        putRecord(name, "1", Map.of("name", "=HYPERLINK(\"http://evil.example.com\")", "city", "Paris", "score", "12.50",
                "active", true, "born", "1980-01-01", "note", "line1\nline2 \"q\" <é> 😀"));
        putRecord(name, "2", Map.of("name", "Bob, \"the builder\"", "city", "Paris", "score", "-3", "active", false));
        putRecord(name, "3", Map.of("name", "Cid", "city", "Berlin", "score", "0.1", "active", "no", "born", "1990-02-28",
                "seen", "2026-11-23T10:00:00+02:00"));
        putRecord(name, "4", Map.of("name", "Dee", "city", "Lyon", "active", true));
        return name;
    }

    private void putRecord(String dataset, String key, Map<String, Object> values) {
        Map<String, Object> body = new LinkedHashMap<>(values);
        Http.Response response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/datasets/" + dataset + "/records/" + key))
                .header("x-api-key", ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    /** A finished export job: its batch, its zip and the zip's entries as text. */
    record Export(String jobId, String batchId, JsonNode batch, String resultName, byte[] zip, Map<String, String> entries) {
    }

    Export exportOf(String options, String outputFormat) throws IOException {
        Http.Response created = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"export\",\"operation\":\"export\","
                + "\"output_format\":\"" + outputFormat + "\",\"options\":" + options + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String jobId = created.json().get("id").asString();
        JsonNode items = http.get("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY).json().get("items");
        assertThat(items).hasSize(1);
        String batchId = items.get(0).get("id").asString();
        JsonNode batch = awaitFinal(jobId, batchId);
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", ADMIN_KEY).json();
        String url = result.get("download_url").asString();
        Http.Response file = http.get(url, null);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.contentType()).isEqualTo("application/zip");
        String resultName = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file.bytes()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return new Export(jobId, batchId, batch, resultName, file.bytes(), entries);
    }

    private void assertRefused(String options, String outputFormat, String message) {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"bad\",\"operation\":\"export\","
                + "\"output_format\":\"" + outputFormat + "\",\"options\":" + options + "}");
        assertThat(response.status()).as(options).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
        assertThat(response.text()).as(options).contains(message);
    }

    JsonNode awaitFinal(String jobId, String batchId) {
        return Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId);
    }

    /** Stored blobs (relative to the blob folder) whose key ends with {@code suffix}. */
    /**
     * The drop's copies of an export: the copy is made after the batch completes, so this waits up to five seconds
     * for one.
     */
    List<String> droppedAs(String resultName) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> found = blobsEndingWith("/drop/exports/" + resultName);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            found = blobsEndingWith("/drop/exports/" + resultName);
        }
        return found;
    }

    List<String> blobsEndingWith(String suffix) throws IOException {
        Path blobs = dataDir().resolve("blobs");
        if (!Files.exists(blobs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).map(p -> blobs.relativize(p).toString().replace('\\', '/'))
                    .filter(key -> key.endsWith(suffix)).toList();
        }
    }
}
