package dev.sluice.server.compat.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.drop.DropServer;
import dev.sluice.server.drop.SftpTestClient;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.job.RetentionPurge;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.OwnServers;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestClock;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
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
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;

/**
 * Seed 004's flow end to end: records imported into a dataset through the native API, an export request
 * submitted and its status inquired with the README's own curl examples (run by bash and the real curl),
 * then the zipped XML fetched from the account's SFTP drop with a real SFTP client, unzipped and parsed.
 * Plus the refusals (401, 400, 404, another account's ids) and the end of the file's 72 hours. The same
 * contract on every store (one run per {@link TestDatabase}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
@Timeout(120)
class BulkExportSeedTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_compat_export";

    // --- the README's examples, verbatim (a test below checks that the README holds them) ----------------

    /** Where the README sets the variables the examples use. */
    static final String VARIABLES = """
            K="x-api-key: sk_live_try_me"; E=http://localhost:8080/bulk-async/exports""";

    /** Submit an export request. */
    static final String SUBMIT = """
            curl -s -X POST $E -H "$K" -H 'Content-Type: application/json' \\
                 -d '{"dataset": "people", "fields": ["email", "first_name", "zip"], "filter": {"zip": "12345"}}'""";

    /** Inquire on its status. */
    static final String INQUIRE = """
            curl -s $E/$REQUEST -H "$K\"""";

    private static final Set<String> STATUSES = Set.of("Queued", "InProcess", "Complete", "Error");

    @TempDir
    Path workDir;

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    DropServer drop;

    @Autowired
    RetentionPurge purge;

    @Autowired
    JdbcClient jdbc;

    Http http;
    ReadmeCurl curl;
    SftpTestClient ssh;

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

    /** Servers a test started for itself, on a clock it moves; closed after it. */
    @RegisterExtension
    final OwnServers own = new OwnServers();

    @BeforeEach
    void clients() {
        connect(server);
    }

    @AfterEach
    void closeClient() {
        ssh.close();
    }

    private void connect(TestServer target) {
        target.inject(this);
        http = new Http("http://127.0.0.1:" + port);
        curl = new ReadmeCurl(workDir);
        ssh = new SftpTestClient(drop.port());
    }

    /** Talks to a server of this test's own from now on, whose time it moves; never the shared one's. */
    TestClock ownServerWithClock() {
        ssh.close();
        TestClock clock = new TestClock();
        connect(own.start(database, clock, properties()));
        return clock;
    }

    @Test
    void an_export_request_is_queued_completes_and_its_zipped_xml_is_fetched_over_sftp() throws Exception {
        // given an account whose people dataset was loaded by a native import, and its SFTP login
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "seed flow");
        importPeople(tenant);
        JsonNode login = http.postJson("/api/v1/accounts/" + tenant.id() + "/sftp-credentials", tenant.key(), "")
                .json();

        // when the README's submit example is run
        ReadmeCurl.Answer submitted = curl.run(SUBMIT, env(tenant, null));

        // then the request is accepted and queued, and says where its file will be
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode accepted = submitted.json();
        assertThat(names(accepted)).containsExactly("request_id", "status", "dataset", "file_name", "location",
                "submitted_at");
        String requestId = accepted.get("request_id").asString();
        assertThat(requestId).startsWith("job_");
        assertThat(accepted.get("status").asString()).isIn("Queued", "InProcess", "Complete");
        assertThat(accepted.get("dataset").asString()).isEqualTo("people");
        String fileName = accepted.get("file_name").asString();
        assertThat(fileName).matches("export-people-bat_[0-9A-Za-z]+\\.xml\\.zip");
        assertThat(accepted.get("location").asString())
                .isEqualTo("sftp://" + tenant.id() + "@127.0.0.1:" + drop.port() + "/exports/" + fileName);
        Instant.parse(accepted.get("submitted_at").asString());

        // when its status is inquired with the README's example until it is complete
        List<String> seen = new ArrayList<>();
        JsonNode complete = awaitComplete(tenant, requestId, seen);

        // then it went through the status words only, and the complete answer says until when the file stays
        assertThat(STATUSES).containsAll(seen);
        assertThat(seen.getLast()).isEqualTo("Complete");
        assertThat(names(complete)).containsExactly("request_id", "status", "dataset", "file_name", "location",
                "submitted_at", "completed_at", "records", "available_until");
        assertThat(complete.get("request_id").asString()).isEqualTo(requestId);
        assertThat(complete.get("file_name").asString()).isEqualTo(fileName);
        assertThat(complete.get("records").asLong()).isEqualTo(3);
        Instant completedAt = Instant.parse(complete.get("completed_at").asString());
        Instant availableUntil = Instant.parse(complete.get("available_until").asString());
        assertThat(Duration.between(completedAt, availableUntil)).isEqualTo(Duration.ofHours(72));

        // when the account logs in to the drop and downloads the file the location names
        byte[] zip;
        List<String> listed;
        try (SftpClient sftp = ssh.sftp(login.get("username").asString(), login.get("password").asString())) {
            listed = names(sftp.readDir("/exports"));
            try (InputStream in = sftp.read("/exports/" + fileName)) {
                zip = in.readAllBytes();
            }
        }

        // then the zip holds one XML file with the filtered records, chosen fields in order, escaped text intact
        assertThat(listed).containsExactly(fileName);
        Map<String, byte[]> entries = unzip(zip);
        assertThat(entries).containsOnlyKeys("export-people.xml");
        Document xml = parse(entries.get("export-people.xml"));
        Element root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("records");
        List<Map<String, String>> records = records(root);
        assertThat(records).containsExactly(
                Map.of("email", "ann@example.com", "first_name", "Ann", "zip", "12345"),
                Map.of("email", "bob@example.net", "first_name", "Bob & \"Co\" <Ltd>", "zip", "12345"),
                Map.of("email", "zoe@example.com", "first_name", "Zoë", "zip", "12345"));
        assertThat(new ArrayList<>(recordFieldOrder(root))).containsExactly("email", "first_name", "zip");

        // and natively it is an XML export job kept 72 hours
        JsonNode job = http.get("/api/v1/jobs/" + requestId, tenant.key()).json();
        assertThat(job.get("operation").asString()).isEqualTo("export");
        assertThat(job.get("output_format").asString()).isEqualTo("xml");
        assertThat(job.get("retention_hours").asInt()).isEqualTo(72);
    }

    @Test
    void once_its_72_hours_are_over_the_file_leaves_the_drop_and_the_status_says_so() throws Exception {
        // given a complete export
        TestClock clock = ownServerWithClock();
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "expiry");
        importPeople(tenant);
        JsonNode login = http.postJson("/api/v1/accounts/" + tenant.id() + "/sftp-credentials", tenant.key(), "")
                .json();
        String requestId = curl.run(SUBMIT, env(tenant, null)).json().get("request_id").asString();
        JsonNode complete = awaitComplete(tenant, requestId, new ArrayList<>());

        // when its retention has passed and the purge runs (the import that loaded the people expires with it)
        clock.advance(Duration.ofHours(72).plusMinutes(1));
        assertThat(purge.purgeExpired()).isEqualTo(2);

        // then the drop is empty and the request is still complete, with a message saying the file is gone
        try (SftpClient sftp = ssh.sftp(login.get("username").asString(), login.get("password").asString())) {
            assertThat(names(sftp.readDir("/exports"))).isEmpty();
        }
        ReadmeCurl.Answer after = curl.run(INQUIRE, env(tenant, requestId));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("status").asString()).isEqualTo("Complete");
        assertThat(after.json().get("records").asLong()).isEqualTo(complete.get("records").asLong());
        assertThat(after.json().get("message").asString()).contains("deleted", "submit the export again");
    }

    @Test
    void a_missing_or_wrong_api_key_answers_401() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "keys");
        importPeople(tenant);

        // when / then: no key
        ReadmeCurl.Answer noKey = curl.run(SUBMIT.replace(" -H \"$K\"", ""), env(tenant, null));
        assertRefused(noKey, 401, "unauthorized", "x-api-key");
        // a key that is not one
        Map<String, String> wrong = new LinkedHashMap<>(env(tenant, "job_whatever"));
        wrong.put("K", "x-api-key: sk_live_not_a_key");
        assertRefused(curl.run(SUBMIT, wrong), 401, "unauthorized", "not valid");
        assertRefused(curl.run(INQUIRE, wrong), 401, "unauthorized", "not valid");
    }

    @Test
    void a_bad_body_answers_400_naming_what_is_wrong() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "bodies");
        importPeople(tenant);
        Map<String, String> env = env(tenant, null);

        // when / then
        assertRefused(curl.run(withBody("{\"dataset\": "), env), 400, "invalid_request", "not valid JSON");
        assertRefused(curl.run(withBody("[\"people\"]"), env), 400, "invalid_request", "JSON object");
        String noBody = SUBMIT.substring(0, SUBMIT.indexOf(" \\\n"));
        assertRefused(curl.run(noBody, env), 400, "invalid_request", "JSON object");
        assertRefused(curl.run(withBody("{\"fields\": [\"email\"]}"), env), 400, "invalid_request", "dataset must name");
        assertRefused(curl.run(withBody("{\"dataset\": 7}"), env), 400, "invalid_request", "dataset must name");
        assertRefused(curl.run(withBody("{\"dataset\": \"people\", \"format\": \"csv\"}"), env), 400,
                "invalid_request", "unknown field 'format'");
        ReadmeCurl.Answer column = curl.run(withBody("{\"dataset\": \"people\", \"fields\": [\"email\", \"shoe_size\"]}"),
                env);
        assertRefused(column, 400, "invalid_request", "'shoe_size' is not a column");
        assertThat(column.json().get("message").asString()).startsWith("fields:").doesNotContain("options.");
        assertRefused(curl.run(withBody("{\"dataset\": \"people\", \"fields\": \"email\"}"), env), 400,
                "invalid_request", "fields must be a non-empty array");
        assertRefused(curl.run(withBody("{\"dataset\": \"people\", \"filter\": {\"colour\": \"red\"}}"), env), 400,
                "invalid_request", "filter: 'colour' is not a column");
        assertRefused(curl.run(withBody("{\"dataset\": \"people\", \"filter\": [\"zip\"]}"), env), 400,
                "invalid_request", "filter must be an object");
        // and nothing was queued
        assertThat(http.get("/api/v1/jobs", tenant.key()).json().get("items")).hasSize(1);
    }

    @Test
    void an_unknown_dataset_or_request_and_another_accounts_request_answer_404() {
        // given two accounts, the first with an export request
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "owner");
        Tenant other = Tenant.create(http, ADMIN_KEY, "other");
        importPeople(tenant);
        String requestId = curl.run(SUBMIT, env(tenant, null)).json().get("request_id").asString();

        // when / then: a dataset the account does not have
        assertRefused(curl.run(SUBMIT, env(other, null)), 404, "not_found", "no dataset 'people'");
        // a request id that does not exist
        assertRefused(curl.run(INQUIRE, env(tenant, "job_does_not_exist")), 404, "not_found", "job_does_not_exist");
        // another account's request
        assertRefused(curl.run(INQUIRE, env(other, requestId)), 404, "not_found", requestId);
        // a job of the account that is not an export request: its import, and a CSV export
        String importJob = http.get("/api/v1/jobs?limit=10", tenant.key()).json().get("items").valueStream()
                .map(j -> j.get("id").asString()).filter(id -> !id.equals(requestId)).findFirst().orElseThrow();
        assertRefused(curl.run(INQUIRE, env(tenant, importJob)), 404, "not_found", importJob);
        Http.Response csv = http.postJson("/api/v1/jobs", tenant.key(), "{\"name\": \"csv\", \"operation\": \"export\", "
                + "\"output_format\": \"csv\", \"options\": {\"dataset\": \"people\"}}");
        assertThat(csv.status()).as(csv.text()).isEqualTo(201);
        String csvJob = csv.json().get("id").asString();
        assertRefused(curl.run(INQUIRE, env(tenant, csvJob)), 404, "not_found", csvJob);
        // while the owner still reads its own
        assertThat(curl.run(INQUIRE, env(tenant, requestId)).status()).isEqualTo(200);
    }

    @Test
    void the_body_is_read_as_json_without_a_content_type() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "bare curl");
        importPeople(tenant);

        // when the example is sent without its Content-Type header (curl then says form-urlencoded)
        ReadmeCurl.Answer submitted = curl.run(SUBMIT.replace(" -H 'Content-Type: application/json'", ""),
                env(tenant, null));

        // then
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String requestId = submitted.json().get("request_id").asString();
        assertThat(awaitComplete(tenant, requestId, new ArrayList<>()).get("records").asLong()).isEqualTo(3);
    }

    @Test
    void a_request_whose_export_failed_answers_error_with_the_reason() {
        // given a request whose batch failed; no input makes a dataset export fail on cue, so the row is
        // written as the worker writes it on a lasting failure
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "failure");
        importPeople(tenant);
        String requestId = curl.run(SUBMIT, env(tenant, null)).json().get("request_id").asString();
        awaitComplete(tenant, requestId, new ArrayList<>());
        jdbc.sql("UPDATE batches SET status = 'failed', error_code = 'storage_failed', error_message = :message, "
                        + "result_name = NULL, result_expires_at = NULL, completed_at = NULL WHERE job_id = :job")
                .param("message", "the blob store refused the file after 5 attempts").param("job", requestId).update();

        // when
        ReadmeCurl.Answer answer = curl.run(INQUIRE, env(tenant, requestId));

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(names(answer.json())).containsExactly("request_id", "status", "dataset", "file_name", "location",
                "submitted_at", "message");
        assertThat(answer.json().get("status").asString()).isEqualTo("Error");
        assertThat(answer.json().get("message").asString()).isEqualTo("the blob store refused the file after 5 attempts");
    }

    @Test
    void the_readme_holds_the_examples_this_test_runs_and_the_openapi_document_lists_the_calls() throws IOException {
        // given: surefire runs in the module folder; the README is the repository's
        String readme = Files.readString(Path.of("../README.md"));

        // when
        JsonNode paths = http.get("/api/v1/openapi.json", null).json().get("paths");

        // then
        assertThat(readme).contains(VARIABLES, SUBMIT, INQUIRE, "#### Bulk async export");
        assertThat(paths.get("/bulk-async/exports").has("post")).isTrue();
        assertThat(paths.get("/bulk-async/exports/{requestId}").has("get")).isTrue();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** The README's variables for this server and account, and the request id when there is one. */
    Map<String, String> env(Tenant tenant, String requestId) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("K", "x-api-key: " + tenant.key());
        env.put("E", "http://127.0.0.1:" + port + "/bulk-async/exports");
        if (requestId != null) {
            env.put("REQUEST", requestId);
        }
        return env;
    }

    /** The people dataset, loaded by a native import job from a CSV file (four people, three in zip 12345). */
    void importPeople(Tenant tenant) {
        Http.Response dataset = http.postJson("/api/v1/datasets", tenant.key(), """
                {"name": "people", "columns": [{"name": "first_name", "type": "string"},
                  {"name": "last_name", "type": "string"}, {"name": "email", "type": "email"},
                  {"name": "zip", "type": "string"}], "key": ["email"]}""");
        assertThat(dataset.status()).as(dataset.text()).isEqualTo(201);
        Http.Response job = http.postJson("/api/v1/jobs", tenant.key(), """
                {"name": "load people", "operation": "import",
                 "options": {"dataset": "people", "source": {"headers": true, "separator": ","}}}""");
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        String jobId = job.json().get("id").asString();
        String csv = """
                first_name,last_name,email,zip
                Ann,Lee,ann@example.com,12345
                "Bob & ""Co"" <Ltd>",Stone,bob@example.net,12345
                Cid,Moe,cid@example.org,99999
                Zoë,Ünal,zoe@example.com,12345
                """;
        Http.Response batch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", tenant.key(), "file", "people.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(batch.status()).as(batch.text()).isEqualTo(201);
        String batchId = batch.json().get("id").asString();
        JsonNode done = awaitNative(tenant, jobId, batchId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("records").get("completed").asLong()).isEqualTo(4);
    }

    /** Inquires with the README's example until the status is final; records each new status word seen. */
    JsonNode awaitComplete(Tenant tenant, String requestId, List<String> seen) {
        JsonNode status = Await.until("export " + requestId + " final", () -> {
            ReadmeCurl.Answer answer = curl.run(INQUIRE, env(tenant, requestId));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            String word = answer.json().get("status").asString();
            if (seen.isEmpty() || !seen.getLast().equals(word)) {
                seen.add(word);
            }
            return answer.json();
        }, answer -> List.of("Complete", "Error").contains(answer.get("status").asString()));
        assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("Complete");
        return status;
    }

    JsonNode awaitNative(Tenant tenant, String jobId, String batchId) {
        return Batches.awaitFinal(http, tenant.key(), jobId, batchId);
    }

    static String withBody(String body) {
        return SUBMIT.replaceAll("-d '.*'", "-d '" + body.replace("\\", "\\\\").replace("$", "\\$") + "'");
    }

    static void assertRefused(ReadmeCurl.Answer answer, int status, String error, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(names(body)).containsExactly("error", "message");
        assertThat(body.get("error").asString()).isEqualTo(error);
        assertThat(body.get("message").asString()).contains(message);
    }

    static Set<String> names(JsonNode node) {
        return new LinkedHashSet<>(node.propertyNames());
    }

    static List<String> names(Iterable<SftpClient.DirEntry> entries) {
        return StreamSupport.stream(entries.spliterator(), false).map(SftpClient.DirEntry::getFilename)
                .filter(name -> !name.equals(".") && !name.equals("..")).toList();
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** Each {@code <record>} child of the root as element name to text. */
    static List<Map<String, String>> records(Element root) {
        List<Map<String, String>> records = new ArrayList<>();
        for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element record) {
                assertThat(record.getTagName()).isEqualTo("record");
                Map<String, String> values = new LinkedHashMap<>();
                for (Node field = record.getFirstChild(); field != null; field = field.getNextSibling()) {
                    if (field instanceof Element value) {
                        values.put(value.getTagName(), value.getTextContent());
                    }
                }
                records.add(values);
            }
        }
        return records;
    }

    /** The element names of the first record, in document order. */
    static Set<String> recordFieldOrder(Element root) {
        Element first = (Element) root.getElementsByTagName("record").item(0);
        Set<String> order = new LinkedHashSet<>();
        for (Node field = first.getFirstChild(); field != null; field = field.getNextSibling()) {
            if (field instanceof Element value) {
                order.add(value.getTagName());
            }
        }
        return order;
    }
}
