package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.ingest.UrlSigner;
import dev.sluice.server.storage.TestS3;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestBlobs;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The native API end to end over real HTTP: the same contract on every store: the embedded default (SQLite,
 * blobs on local disk), PostgreSQL with local blobs, and the cluster deployment (PostgreSQL and an S3 bucket on
 * S3Mock, results handed out by redirect to a presigned GET). Files are small on purpose; chunks are 1,000
 * records so that most batches have several.
 */
@ParameterizedClass(name = "{0}, {1} blobs")
@MethodSource("stores")
class ApiContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_api_tests";
    static final long MAX_FILE_BYTES = 2 * 1024 * 1024;
    static final long MAX_INLINE_BYTES = 4 * 1024 * 1024;

    static TestServer server;

    /** The database under test. */
    @Parameter(0)
    TestDatabase database;

    /** Where the server under test keeps its files. */
    @Parameter(1)
    TestBlobs blobs;

    @LocalServerPort
    int port;

    @Autowired
    UrlSigner signer;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Http http;

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of(TestDatabase.SQLITE, TestBlobs.LOCAL),
                Arguments.of(TestDatabase.POSTGRESQL, TestBlobs.LOCAL),
                Arguments.of(TestDatabase.POSTGRESQL, TestBlobs.S3));
    }

    static Map<String, String> properties(TestBlobs blobs) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "SLUICE_BOOTSTRAP_API_KEY", ADMIN_KEY,
                "sluice.job.chunk-size", "1000",
                "sluice.job.poll-interval", "100ms",
                "sluice.ingest.max-file-size", MAX_FILE_BYTES + "B",
                "sluice.ingest.max-inline-size", MAX_INLINE_BYTES + "B",
                // the foundation's contract is about the engine and the API: offline checks only, no network
                "sluice.verify.dns.enabled", "false"));
        if (blobs == TestBlobs.S3) {
            // results are handed out by redirect, so every download in the contract goes through a presigned GET
            properties.put("sluice.storage.download", "redirect");
        }
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

    Path dataDir() {
        return server.dataDir();
    }

    /**
     * Every stored blob whose key contains {@code text}: how the tests prove nothing is kept. Walks the
     * local blob folder, or lists the bucket.
     */
    protected List<String> storedKeysContaining(String text) throws IOException {
        if (blobs == TestBlobs.S3) {
            return TestS3.keys(server.bucket()).stream().filter(key -> key.contains(text)).toList();
        }
        Path folder = dataDir().resolve("blobs");
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString())
                    .filter(key -> key.contains(text)).toList();
        }
    }

    @BeforeEach
    void client() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    // ---- auth and tenancy ----

    @Test
    void request_without_key_answers_401_problem_details() {
        Http.Response response = http.get("/api/v1/jobs", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
        assertThat(http.get("/api/v1/jobs", "sk_wrong").status()).isEqualTo(401);
    }

    @Test
    void bearer_authorization_works_like_x_api_key() {
        Http.Response response = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/jobs")).header("Authorization", "Bearer " + ADMIN_KEY).GET());

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void another_accounts_job_answers_404_and_only_admins_create_accounts() {
        // given a job of the admin account and a second account
        String jobId = createJob("mine", "csv");
        Tenant account = Tenant.create(http, ADMIN_KEY, "tenant b");
        String otherKey = account.key();

        // when the other account asks for it
        Http.Response response = http.get("/api/v1/jobs/" + jobId, otherKey);

        // then it does not exist for them, and they cannot create accounts
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("not_found");
        assertThat(http.postJson("/api/v1/accounts", otherKey, "{\"name\":\"x\"}").status()).isEqualTo(403);
        assertThat(http.get("/api/v1/jobs", otherKey).json().get("items")).isEmpty();
    }

    @Test
    void evaluation_key_may_not_manage_keys_or_credentials() {
        // given an account with a live key and an evaluation key
        Tenant account = Tenant.create(http, ADMIN_KEY, "trial rights");
        String accountId = account.id();
        String liveKeyId = account.keyId();
        String evalKey = http.postJson("/api/v1/accounts/" + accountId + "/keys", ADMIN_KEY, "{\"kind\":\"evaluation\"}")
                .json().get("key").asString();
        String keys = "/api/v1/accounts/" + accountId + "/keys";

        // when the evaluation key tries to mint, list or revoke keys, or reach the account's credentials
        List<Http.Response> answers = List.of(
                http.postJson(keys, evalKey, "{\"kind\":\"live\"}"),
                http.get(keys, evalKey),
                http.delete(keys + "/" + liveKeyId, evalKey),
                http.postJson("/api/v1/accounts/" + accountId + "/sftp-credentials", evalKey, ""),
                http.get("/api/v1/webhook-secret", evalKey),
                http.postJson("/api/v1/webhook-secret/rotate", evalKey, ""),
                http.postJson("/api/v1/accounts", evalKey, "{\"name\":\"x\"}"));

        // then every one is refused, and the account still has exactly its two keys
        assertThat(answers).extracting(Http.Response::status).containsOnly(403);
        assertThat(answers).extracting(r -> r.json().get("code").asString()).containsOnly("forbidden");
        assertThat(http.get(keys, ADMIN_KEY).json().get("items")).hasSize(2);
        assertThat(http.get("/api/v1/jobs", evalKey).status()).isEqualTo(200);
    }

    @Test
    void revoked_key_answers_401_and_keys_are_listed_without_their_secrets() {
        // given an account with two live keys
        Tenant account = Tenant.create(http, ADMIN_KEY, "revoker");
        String accountId = account.id();
        String firstKey = account.key();
        String firstKeyId = account.keyId();
        JsonNode second = http.postJson("/api/v1/accounts/" + accountId + "/keys", firstKey, "{}").json();
        String keys = "/api/v1/accounts/" + accountId + "/keys";

        // when the account lists its keys, then revokes the first with the second
        JsonNode listed = http.get(keys, firstKey).json();
        Http.Response revoked = http.delete(keys + "/" + firstKeyId, second.get("key").asString());

        // then the list named both by prefix only, the revoked key no longer authenticates, the other does
        assertThat(listed.get("items")).hasSize(2);
        assertThat(listed.toString()).doesNotContain(firstKey).doesNotContain(second.get("key").asString());
        assertThat(listed.get("items").get(0).get("prefix").asString()).isEqualTo(firstKey.substring(0, 12));
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(http.get("/api/v1/jobs", firstKey).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/jobs", second.get("key").asString()).status()).isEqualTo(200);
        assertThat(http.get(keys, ADMIN_KEY).json().get("items")).extracting(k -> k.get("id").asString())
                .containsExactly(second.get("id").asString());
        // a revoked or unknown key answers 404, the last key 409, another tenant's account 404
        assertThat(http.delete(keys + "/" + firstKeyId, ADMIN_KEY).status()).isEqualTo(404);
        Http.Response last = http.delete(keys + "/" + second.get("id").asString(), ADMIN_KEY);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().get("code").asString()).isEqualTo("conflict");
        String otherKey = Tenant.create(http, ADMIN_KEY, "nosy").key();
        assertThat(http.get(keys, otherKey).status()).isEqualTo(404);
    }

    // ---- jobs ----

    @Test
    void created_job_reads_back_with_zero_counters() {
        String id = createJob("list cleaning", "csv");

        JsonNode job = http.get("/api/v1/jobs/" + id, ADMIN_KEY).json();

        assertThat(job.get("name").asString()).isEqualTo("list cleaning");
        assertThat(job.get("operation").asString()).isEqualTo("verify");
        assertThat(job.get("status").asString()).isEqualTo("open");
        assertThat(job.get("state").asString()).isEqualTo("waiting");
        assertThat(job.get("output_format").asString()).isEqualTo("csv");
        assertThat(job.get("batches").get("waiting_for_upload").asLong()).isZero();
        assertThat(job.get("records").get("total").asLong()).isZero();
    }

    @Test
    void idempotency_key_answers_the_same_job_and_refuses_a_different_request() {
        String body = "{\"name\":\"once\",\"operation\":\"verify\"}";
        Http.Response first = http.postJson("/api/v1/jobs", ADMIN_KEY, body, "key-" + System.nanoTime());
        String key = "key-" + System.nanoTime();

        Http.Response a = http.postJson("/api/v1/jobs", ADMIN_KEY, body, key);
        Http.Response b = http.postJson("/api/v1/jobs", ADMIN_KEY, body, key);
        Http.Response c = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"other\",\"operation\":\"verify\"}", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().get("id").asString()).isEqualTo(a.json().get("id").asString());
        assertThat(c.status()).isEqualTo(409);
        assertThat(c.json().get("code").asString()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void bad_job_requests_answer_400_with_a_reason() {
        assertThat(http.postJson("/api/v1/jobs", ADMIN_KEY, "{not json").json().get("code").asString())
                .isEqualTo("invalid_request");
        Http.Response unknownOperation = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"x\",\"operation\":\"mine\"}");
        assertThat(unknownOperation.status()).isEqualTo(400);
        assertThat(unknownOperation.json().get("detail").asString()).contains("verify");
        assertThat(http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"operation\":\"verify\"}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"x\",\"operation\":\"verify\",\"output_format\":\"xlsx\"}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"x\",\"operation\":\"verify\",\"notification\":{\"url\":\"ftp://x\"}}").status()).isEqualTo(400);
    }

    @Test
    void job_list_pages_newest_first_with_a_cursor() {
        Tenant account = Tenant.create(http, ADMIN_KEY, "pager");
        String key = account.key();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(http.postJson("/api/v1/jobs", key, "{\"name\":\"j" + i + "\",\"operation\":\"verify\"}").json()
                    .get("id").asString());
        }

        JsonNode page1 = http.get("/api/v1/jobs?limit=2", key).json();
        JsonNode page2 = http.get("/api/v1/jobs?limit=2&cursor=" + page1.get("next_cursor").asString(), key).json();
        JsonNode page3 = http.get("/api/v1/jobs?limit=2&cursor=" + page2.get("next_cursor").asString(), key).json();

        assertThat(idsOf(page1)).containsExactly(ids.get(4), ids.get(3));
        assertThat(idsOf(page2)).containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(page3)).containsExactly(ids.get(0));
        assertThat(page3.get("next_cursor").isNull()).isTrue();
        assertThat(http.get("/api/v1/jobs?status=cancelled", key).json().get("items")).isEmpty();
        assertThat(http.get("/api/v1/jobs?limit=0", key).status()).isEqualTo(400);
    }

    // ---- the three ways in ----

    @Test
    void signed_upload_of_a_messy_file_gives_one_result_row_per_record_in_order() {
        // given a Windows-1252 file with CRLF, a quoted newline, blank lines, ragged rows, header " EMAIL "
        StringBuilder csv = new StringBuilder("id;Name; EMAIL \r\n");
        int records = 2_500;
        for (int i = 1; i <= records; i++) {
            String email = i % 5 == 0 ? "broken" + i + "@@example.com" : "user" + i + "@Example.COM";
            String name = i == 7 ? "\"Müller;\r\nJr\"" : "Name" + i;
            csv.append(i).append(';').append(name).append(';').append(email).append(i % 11 == 0 ? "" : "").append("\r\n");
            if (i % 500 == 0) {
                csv.append("\r\n");
            }
        }
        byte[] file = csv.toString().getBytes(Charset.forName("windows-1252"));
        String jobId = createJob("messy", "csv");
        JsonNode batchFile = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json();
        assertThat(batchFile.get("status").asString()).isEqualTo("waiting_for_upload");
        assertThat(batchFile.get("upload_expires_at").asString()).isNotBlank();

        // when it is PUT to the upload URL
        Http.Response put = http.put(batchFile.get("upload_url").asString(), file);

        // then the batch completes with exact counters and the result keeps rows, order and columns
        assertThat(put.status()).isEqualTo(200);
        JsonNode batch = awaitFinal(jobId, batchFile.get("id").asString());
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(batch.get("records").get("total").asLong()).isEqualTo(records);
        assertThat(batch.get("records").get("processed").asLong()).isEqualTo(records);
        assertThat(batch.get("records").get("invalid").asLong()).isEqualTo(records / 5);
        assertThat(batch.get("records").get("valid").asLong()).isEqualTo(records - records / 5);
        assertThat(batch.get("chunks").get("total").asInt()).isEqualTo(3);
        assertThat(batch.get("progress").asDouble()).isEqualTo(100.0);

        List<CsvRecord> rows = download(jobId, batchFile.get("id").asString(), "csv");
        assertThat(rows.get(0).getFields()).containsExactly("id", "Name", "EMAIL", "sluice_row", "sluice_status",
                "sluice_reason", "sluice_email", "sluice_role", "sluice_disposable", "sluice_free", "sluice_suggestion",
                "sluice_cached", "sluice_provider", "sluice_score", "sluice_safe_to_send", "sluice_duplicate_of");
        assertThat(rows).hasSize(records + 1);
        for (int i = 1; i <= records; i++) {
            CsvRecord row = rows.get(i);
            assertThat(row.getField(0)).isEqualTo(String.valueOf(i));
            assertThat(row.getField(3)).isEqualTo(String.valueOf(i));
            assertThat(row.getField(4)).isEqualTo(i % 5 == 0 ? "invalid" : "valid");
        }
        assertThat(rows.get(7).getField(1)).isEqualTo("Müller;\r\nJr");
        assertThat(rows.get(1).getField(6)).isEqualTo("user1@example.com");

        JsonNode job = http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).json();
        assertThat(job.get("state").asString()).isEqualTo("completed");
        assertThat(job.get("batches").get("completed").asLong()).isEqualTo(1);
        assertThat(job.get("records").get("processed").asLong()).isEqualTo(records);
        List<String> events = new ArrayList<>();
        http.get("/api/v1/jobs/" + jobId + "/events", ADMIN_KEY).json().get("items")
                .forEach(e -> events.add(e.get("type").asString()));
        assertThat(events).containsSubsequence("job_created", "batch_created", "batch_queued", "batch_loaded",
                "records_processed", "batch_completed");
    }

    @Test
    void upload_with_curls_default_form_content_type_stores_every_byte(@TempDir Path workDir) throws Exception {
        // given the README's command: curl -X PUT --data-binary @list.csv, which sends curl's default
        // Content-Type: application/x-www-form-urlencoded
        Path list = workDir.resolve("list.csv");
        byte[] file = "email,name\nann@example.com,Ann & Co\nbob@example.org,Bob=1\n".getBytes(StandardCharsets.UTF_8);
        Files.write(list, file);
        String jobId = createJob("curl default", "csv");
        JsonNode batchFile = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json();

        // when it is PUT with the real curl
        Process curl = new ProcessBuilder("/usr/bin/curl", "-s", "-X", "PUT", "--data-binary", "@list.csv",
                "-w", "\n%{http_code}", batchFile.get("upload_url").asString())
                .directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).isZero();

        // then every byte is stored and both records are verified
        assertThat(printed.substring(printed.lastIndexOf('\n') + 1)).isEqualTo("200");
        JsonNode answer = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(printed.substring(0, printed.lastIndexOf('\n')));
        assertThat(answer.get("file").get("size_bytes").asLong()).isEqualTo(file.length);
        JsonNode batch = awaitFinal(jobId, batchFile.get("id").asString());
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(batch.get("records").get("total").asLong()).isEqualTo(2);
        List<CsvRecord> rows = download(jobId, batchFile.get("id").asString(), "csv");
        assertThat(rows.get(1).getField(1)).isEqualTo("Ann & Co");
        assertThat(rows.get(2).getField(1)).isEqualTo("Bob=1");
    }

    @Test
    void verify_results_escape_formula_cells_unless_the_job_keeps_them_raw() {
        byte[] file = "email,note\nann@example.com,=HYPERLINK(\"http://x.example\")\nbob@example.org,@SUM(1)\n"
                .getBytes(StandardCharsets.UTF_8);
        for (Boolean escape : new Boolean[]{null, false}) {
            // given a job with the default, and one with escape_formulas false
            String options = escape == null ? "" : ",\"options\":{\"escape_formulas\":" + escape + "}";
            Http.Response job = http.postJson("/api/v1/jobs", ADMIN_KEY,
                    "{\"name\":\"formulas\",\"operation\":\"verify\",\"output_format\":\"csv\"" + options + "}");
            assertThat(job.status()).isEqualTo(201);
            String jobId = job.json().get("id").asString();

            // when the file is verified
            Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "f.csv",
                    file);
            String batchId = created.json().get("id").asString();
            assertThat(awaitFinal(jobId, batchId).get("status").asString()).isEqualTo("completed");

            // then the cells are prefixed with ' by default, and raw when asked
            List<CsvRecord> rows = download(jobId, batchId, "csv");
            String prefix = escape == null ? "'" : "";
            assertThat(rows.get(1).getField(1)).isEqualTo(prefix + "=HYPERLINK(\"http://x.example\")");
            assertThat(rows.get(2).getField(1)).isEqualTo(prefix + "@SUM(1)");
        }
        // and a value that is not a boolean is refused
        assertThat(http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"x\",\"operation\":\"verify\","
                + "\"options\":{\"escape_formulas\":\"no\"}}").status()).isEqualTo(400);
    }

    @Test
    void file_with_a_quote_never_closed_is_malformed_naming_the_line() {
        // given the file, which used to complete with 1 record
        String jobId = createJob("unclosed", "csv");
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "f.csv",
                "email,name\nann@example.com,\"Ann\nbob@example.org,Bob\n".getBytes(StandardCharsets.UTF_8));

        // when
        JsonNode batch = awaitFinal(jobId, created.json().get("id").asString());

        // then
        assertThat(batch.get("status").asString()).isEqualTo("malformed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("unreadable");
        assertThat(batch.get("error").get("message").asString()).contains("line 2");
    }

    @Test
    void header_with_spaces_before_quotes_or_without_an_email_name_is_loaded_and_the_guess_is_an_event() {
        // given a header written with a space after the comma, and one naming the addresses "contact"
        String quoted = createJob("quoted header", "csv");
        String guessed = createJob("guessed column", "csv");

        // when
        String quotedBatch = http.postFile("/api/v1/jobs/" + quoted + "/batch-files", ADMIN_KEY, "file", "f.csv",
                "\"Name\", \" EMAIL \",notes\nAnn, ann@example.com,x\n".getBytes(StandardCharsets.UTF_8))
                .json().get("id").asString();
        String guessedBatch = http.postFile("/api/v1/jobs/" + guessed + "/batch-files", ADMIN_KEY, "file", "f.csv",
                "name,contact\nAnn,ann@example.com\nBob,bob@example.org\n".getBytes(StandardCharsets.UTF_8))
                .json().get("id").asString();

        // then both complete, and the guessed column is said in the batch_loaded event
        assertThat(awaitFinal(quoted, quotedBatch).get("status").asString()).isEqualTo("completed");
        assertThat(download(quoted, quotedBatch, "csv").get(0).getField(1)).isEqualTo("EMAIL");
        assertThat(awaitFinal(guessed, guessedBatch).get("status").asString()).isEqualTo("completed");
        List<String> loaded = new ArrayList<>();
        http.get("/api/v1/jobs/" + guessed + "/events", ADMIN_KEY).json().get("items").forEach(e -> {
            if (e.get("type").asString().equals("batch_loaded")) {
                loaded.add(e.get("message").asString());
            }
        });
        assertThat(loaded).singleElement().asString().contains("column 2 (\"contact\") holds addresses");
    }

    @Test
    void multipart_upload_creates_and_queues_the_batch_in_one_call() {
        String jobId = createJob("multipart", "ndjson");
        byte[] file = "\uFEFFemail,name\nann@example.com,Ann\nadmin@example.org,Desk\nnot-an-email,Bob\n"
                .getBytes(StandardCharsets.UTF_8);

        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "list.csv", file);

        assertThat(created.status()).isEqualTo(201);
        String batchId = created.json().get("id").asString();
        assertThat(created.json().get("file").get("name").asString()).isEqualTo("list.csv");
        JsonNode batch = awaitFinal(jobId, batchId);
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(batch.get("records").get("valid").asLong()).isEqualTo(2);
        assertThat(batch.get("records").get("invalid").asLong()).isEqualTo(1);
        String ndjson = new String(downloadBytes(jobId, batchId), StandardCharsets.UTF_8);
        List<String> lines = ndjson.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("\"sluice_role\":true").contains("\"sluice_row\":2");
    }

    @Test
    void inline_records_are_processed_like_a_file() {
        String jobId = createJob("inline", "json");
        String body = "{\"records\":[{\"email\":\"a@example.com\",\"id\":1},{\"email\":\"b@@example.com\",\"id\":2},"
                + "\"c@example.net\"]}";

        Http.Response created = http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY, body);

        assertThat(created.status()).isEqualTo(201);
        String batchId = created.json().get("id").asString();
        JsonNode batch = awaitFinal(jobId, batchId);
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(batch.get("records").get("total").asLong()).isEqualTo(3);
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", ADMIN_KEY).json();
        assertThat(result.get("format").asString()).isEqualTo("json");
        assertThat(result.get("records").asLong()).isEqualTo(3);
        JsonNode rows = tools.jackson.databind.json.JsonMapper.builder().build().readTree(downloadBytes(jobId, batchId));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).get("sluice_status").asString()).isEqualTo("invalid");
        assertThat(rows.get(2).get("email").asString()).isEqualTo("c@example.net");
        assertThat(rows.get(2).get("id").asString()).isEmpty();
    }

    @Test
    void inline_records_sent_with_a_form_content_type_are_read_from_the_body() {
        // given curl -d's default Content-Type on an inline body
        String jobId = createJob("inline-form", "csv");

        // when
        Http.Response created = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + jobId + "/batches"))
                .header("x-api-key", ADMIN_KEY).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[\"a@example.com\",\"b=c@example.org\"]")));

        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(awaitFinal(jobId, created.json().get("id").asString()).get("records").get("total").asLong())
                .isEqualTo(2);
    }

    @Test
    void bad_inline_bodies_answer_400() {
        String jobId = createJob("inline-bad", "csv");
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY, "{\"records\":[]}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY, "{\"records\":[[1]]}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY, "[").status()).isEqualTo(400);
    }

    @Test
    void inline_body_over_the_limit_without_a_length_answers_413_and_keeps_nothing() throws IOException {
        // given a body larger than sluice.ingest.max-inline-size, sent chunked (no Content-Length to refuse early)
        String jobId = createJob("inline-big", "csv");
        // (64 KB over: Tomcat reads what is left of a refused body, up to 2 MB, so the client sees the answer)
        String element = "\"someone.with.a.long.name@example.com\",";
        byte[] big = ("{\"records\":[" + element.repeat((int) ((MAX_INLINE_BYTES + 65_536) / element.length()))
                + "\"last@example.com\"]}").getBytes(StandardCharsets.UTF_8);
        assertThat((long) big.length).isGreaterThan(MAX_INLINE_BYTES);

        // when
        Http.Response response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + jobId + "/batches"))
                .header("x-api-key", ADMIN_KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));

        // then
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("code").asString()).isEqualTo("payload_too_large");
        assertThat(http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).json().get("records").get("total").asLong()).isZero();
        assertThat(storedKeysContaining(jobId)).isEmpty();
    }

    // ---- signed links and limits ----

    @Test
    void tampered_or_expired_upload_links_are_refused_and_the_batch_keeps_waiting() {
        String jobId = createJob("links", "csv");
        JsonNode batchFile = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json();
        String url = batchFile.get("upload_url").asString();
        String batchId = batchFile.get("id").asString();
        byte[] file = "email\na@example.com\n".getBytes(StandardCharsets.UTF_8);

        Http.Response tampered = http.put(url.replace("expires=", "expires=1"), file);
        Http.Response otherBatch = http.put(url.replace(batchId, "bat_00000000000000000000000000"), file);
        UrlSigner.Signed expired = signer.sign("PUT", "/api/v1/uploads/" + batchId, Instant.now().minusSeconds(5));
        Http.Response late = http.put("http://127.0.0.1:" + port + expired.pathAndQuery(), file);

        assertThat(tampered.status()).isEqualTo(403);
        assertThat(tampered.json().get("code").asString()).isEqualTo("invalid_signature");
        assertThat(otherBatch.status()).isEqualTo(403);
        assertThat(late.status()).isEqualTo(410);
        assertThat(batch(jobId, batchId).get("status").asString()).isEqualTo("waiting_for_upload");

        assertThat(http.put(url, file).status()).isEqualTo(200);
        assertThat(http.put(url, file).status()).isEqualTo(409);
    }

    @Test
    void file_over_the_limit_is_refused_with_413_and_nothing_is_kept() throws Exception {
        String jobId = createJob("big", "csv");
        JsonNode batchFile = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json();
        byte[] big = bigFile(MAX_FILE_BYTES + 1024);

        Http.Response put = http.put(batchFile.get("upload_url").asString(), big);
        Http.Response multipart = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "big.csv", big);

        assertThat(put.status()).isEqualTo(413);
        assertThat(put.json().get("code").asString()).isEqualTo("payload_too_large");
        assertThat(multipart.status()).isEqualTo(413);
        assertThat(batch(jobId, batchFile.get("id").asString()).get("status").asString()).isEqualTo("waiting_for_upload");
        assertThat(storedKeysContaining(jobId)).isEmpty();
    }

    @Test
    void result_before_completion_answers_409() {
        String jobId = createJob("early", "csv");
        JsonNode batchFile = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json();

        Http.Response result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchFile.get("id").asString() + "/result",
                ADMIN_KEY);

        assertThat(result.status()).isEqualTo(409);
        assertThat(result.json().get("code").asString()).isEqualTo("conflict");
    }

    // ---- malformed files ----

    @Test
    void file_without_an_email_column_is_malformed_with_the_reason() {
        assertMalformed("name,phone\nAnn,123\nBob,456\n".getBytes(StandardCharsets.UTF_8), "missing_column");
    }

    @Test
    void binary_file_is_malformed() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0};
        assertMalformed(png, "binary_content");
    }

    @Test
    void header_without_records_is_malformed() {
        assertMalformed("email\n\n\n".getBytes(StandardCharsets.UTF_8), "no_records");
    }

    @Test
    void evaluation_key_refuses_files_over_1000_records() {
        Tenant account = Tenant.create(http, ADMIN_KEY, "trial");
        String accountId = account.id();
        String evalKey = http.postJson("/api/v1/accounts/" + accountId + "/keys", ADMIN_KEY, "{\"kind\":\"evaluation\"}")
                .json().get("key").asString();
        String jobId = http.postJson("/api/v1/jobs", evalKey, "{\"name\":\"t\",\"operation\":\"verify\"}").json()
                .get("id").asString();
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 1001; i++) {
            csv.append("u").append(i).append("@example.com\n");
        }

        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", evalKey, "file", "t.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8));
        JsonNode batch = awaitFinal(jobId, created.json().get("id").asString(), evalKey);

        assertThat(batch.get("status").asString()).isEqualTo("malformed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("too_many_records");
    }

    // ---- cancel and delete ----

    @Test
    void cancelled_job_cancels_waiting_batches_and_takes_no_more() {
        String jobId = createJob("cancel me", "csv");
        String batchId = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json().get("id").asString();

        JsonNode cancelled = http.postJson("/api/v1/jobs/" + jobId + "/cancel", ADMIN_KEY, "").json();

        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.get("state").asString()).isEqualTo("cancelled");
        assertThat(cancelled.get("batches").get("cancelled").asLong()).isEqualTo(1);
        assertThat(batch(jobId, batchId).get("status").asString()).isEqualTo("cancelled");
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").status()).isEqualTo(409);
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/cancel", ADMIN_KEY, "").status()).isEqualTo(200);
    }

    @Test
    void deleted_job_is_gone_with_its_files() throws Exception {
        String jobId = createJob("delete me", "csv");
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "d.csv",
                "email\na@example.com\n".getBytes(StandardCharsets.UTF_8));
        awaitFinal(jobId, created.json().get("id").asString());

        Http.Response deleted = http.delete("/api/v1/jobs/" + jobId, ADMIN_KEY);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).status()).isEqualTo(404);
        assertThat(storedKeysContaining(jobId)).isEmpty();
    }

    @Test
    void deleting_a_job_while_its_batch_loads_or_runs_answers_204_and_leaves_no_file() throws Exception {
        // given files of ~55 chunks, deleted at four moments: just queued, loading, in progress, chunks done
        byte[] file = bigFile(MAX_FILE_BYTES - 4096);
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            String jobId = createJob("delete while loading " + round, "csv");
            Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "d.csv", file);
            assertThat(created.status()).isEqualTo(201);
            String batchId = created.json().get("id").asString();
            seen.add(awaitMoment(jobId, batchId, round));

            // when the job is deleted
            Http.Response deleted = http.delete("/api/v1/jobs/" + jobId, ADMIN_KEY);

            // then it answers 204 at once, the job is gone, and once its tasks have let go no file is left
            assertThat(deleted.status()).as("delete in round %d (%s)", round, seen.get(round)).isEqualTo(204);
            assertThat(http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).status()).isEqualTo(404);
            assertThat(http.delete("/api/v1/jobs/" + jobId, ADMIN_KEY).status()).isEqualTo(404);
            awaitTasksDone(jobId, batchId);
            assertThat(storedKeysContaining(jobId)).as("files of job %s after round %d (%s)", jobId, round, seen.get(round))
                    .isEmpty();
        }
    }

    @Test
    void deleting_a_job_while_the_account_adds_batches_answers_404_or_409_never_500() throws Exception {
        for (int round = 0; round < 3; round++) {
            // given clients adding batches to a job as fast as they can
            String jobId = createJob("delete while adding " + round, "csv");
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(6);
            java.util.concurrent.CountDownLatch firstAdded = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<Integer>>> answers = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                answers.add(clients.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        Http.Response r = switch ((client + i) % 3) {
                            case 0 -> http.postJson("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY,
                                    "{\"records\":[\"ann@example.com\",\"bob@example.org\"]}");
                            case 1 -> http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}");
                            default -> http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file",
                                    "a.csv", "email\nann@example.com\n".getBytes(StandardCharsets.UTF_8));
                        };
                        statuses.add(r.status());
                        if (r.status() == 201) {
                            firstAdded.countDown();
                        }
                    }
                    return statuses;
                }));
            }

            // when the job is deleted while they add
            assertThat(firstAdded.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Http.Response deleted = http.delete("/api/v1/jobs/" + jobId, ADMIN_KEY);
            List<Integer> statuses = new ArrayList<>();
            for (var answer : answers) {
                statuses.addAll(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            clients.shutdown();

            // then the delete answered 204, every add 201 before it and 404 or 409 after (or 429 past the
            // account's uploads in progress), and nothing is left
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(statuses).as("answers to adds in round %d", round).isSubsetOf(201, 404, 409, 429);
            assertThat(statuses).contains(201);
            awaitTasksDone(jobId, null);
            assertThat(storedKeysContaining(jobId)).isEmpty();
        }
    }

    @Test
    void openapi_document_is_served() {
        Http.Response doc = http.get("/api/v1/openapi.json", null);

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/api/v1/jobs")).isTrue();
    }

    // ---- credits ----

    @Test
    void credit_balance_is_unlimited_until_an_admin_sets_it() {
        Tenant account = Tenant.create(http, ADMIN_KEY, "credits");
        String id = account.id();
        String key = account.key();

        JsonNode before = http.get("/api/v1/accounts/" + id + "/credits", key).json();
        Http.Response set = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/api/v1/accounts/" + id + "/credits")).header("x-api-key", ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"balance\":500}")));
        Http.Response selfService = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/api/v1/accounts/" + id + "/credits")).header("x-api-key", key)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"balance\":null}")));

        assertThat(before.get("unlimited").asBoolean()).isTrue();
        assertThat(set.status()).isEqualTo(200);
        assertThat(http.get("/api/v1/accounts/" + id + "/credits", key).json().get("balance").asLong()).isEqualTo(500);
        assertThat(selfService.status()).isEqualTo(403);
        assertThat(http.get("/api/v1/accounts/" + id + "/credits", "sk_wrong").status()).isEqualTo(401);
    }

    // ---- datasets ----

    @Test
    void dataset_is_created_and_its_records_are_written_read_listed_and_deleted_by_key() {
        // given a dataset with typed columns and a composite key
        String name = "people_" + System.nanoTime();
        Http.Response created = http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name + "\",\"columns\":["
                + "{\"name\":\"first_name\",\"type\":\"string\"},{\"name\":\"zip\",\"type\":\"string\"},"
                + "{\"name\":\"age\",\"type\":\"integer\"},{\"name\":\"score\",\"type\":\"decimal\"},"
                + "{\"name\":\"active\",\"type\":\"boolean\"},{\"name\":\"born\",\"type\":\"date\"},"
                + "{\"name\":\"seen\",\"type\":\"timestamp\"},{\"name\":\"email\",\"type\":\"email\",\"required\":true}],"
                + "\"key\":[\"first_name\",\"zip\"]}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("key").toString()).isEqualTo("[\"first_name\",\"zip\"]");

        // when records are put, read, listed and deleted
        Http.Response put = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/api/v1/datasets/" + name + "/records/Ann,12345"))
                .header("x-api-key", ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"age\":41,\"score\":\"12.50\",\"active\":\"yes\","
                        + "\"born\":\"1985-02-03\",\"seen\":\"2026-11-23T08:00:00+01:00\",\"email\":\"ann@example.com\"}")));
        assertThat(put.status()).isEqualTo(200);
        JsonNode record = http.get("/api/v1/datasets/" + name + "/records/Ann,12345", ADMIN_KEY).json();
        JsonNode listed = http.get("/api/v1/datasets/" + name + "/records", ADMIN_KEY).json();
        JsonNode schema = http.get("/api/v1/datasets/" + name, ADMIN_KEY).json();

        // then values come back typed and exact
        assertThat(record.get("first_name").asString()).isEqualTo("Ann");
        assertThat(record.get("age").asLong()).isEqualTo(41);
        assertThat(record.get("score").asString()).isEqualTo("12.50");
        assertThat(record.get("active").asBoolean()).isTrue();
        assertThat(record.get("born").asString()).isEqualTo("1985-02-03");
        assertThat(record.get("seen").asString()).isEqualTo("2026-11-23T07:00:00Z");
        assertThat(listed.get("items")).hasSize(1);
        assertThat(schema.get("records").asLong()).isEqualTo(1);
        assertThat(http.delete("/api/v1/datasets/" + name + "/records/Ann,12345", ADMIN_KEY).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/datasets/" + name + "/records/Ann,12345", ADMIN_KEY).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/datasets/" + name, ADMIN_KEY).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/datasets/" + name, ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void bad_dataset_definitions_and_values_answer_400() {
        assertThat(http.postJson("/api/v1/datasets", ADMIN_KEY,
                "{\"name\":\"x; DROP TABLE jobs\",\"columns\":[{\"name\":\"a\"}],\"key\":[\"a\"]}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/datasets", ADMIN_KEY,
                "{\"name\":\"ok_name\",\"columns\":[{\"name\":\"A b\"}],\"key\":[\"A b\"]}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/datasets", ADMIN_KEY,
                "{\"name\":\"ok_name\",\"columns\":[{\"name\":\"a\",\"type\":\"money\"}],\"key\":[\"a\"]}").status())
                .isEqualTo(400);
        assertThat(http.postJson("/api/v1/datasets", ADMIN_KEY,
                "{\"name\":\"ok_name\",\"columns\":[{\"name\":\"a\"}],\"key\":[\"b\"]}").status()).isEqualTo(400);
        String name = "typed_" + System.nanoTime();
        assertThat(http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name
                + "\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"},{\"name\":\"n\",\"type\":\"integer\"}],"
                + "\"key\":[\"id\"]}").status()).isEqualTo(201);
        assertThat(http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name
                + "\",\"columns\":[{\"name\":\"id\"}],\"key\":[\"id\"]}").status()).isEqualTo(409);
        Http.Response badValue = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/api/v1/datasets/" + name + "/records/7"))
                .header("x-api-key", ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":\"seven\"}")));
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(badValue.json().get("detail").asString()).contains("not a valid integer");
        assertThat(http.get("/api/v1/datasets/" + name + "/records/x", ADMIN_KEY).status()).isEqualTo(400);
    }

    @Test
    void another_accounts_dataset_answers_404() {
        String name = "private_" + System.nanoTime();
        http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name + "\",\"columns\":[{\"name\":\"id\"}],"
                + "\"key\":[\"id\"]}");
        String otherKey = Tenant.create(http, ADMIN_KEY, "ds other").key();

        assertThat(http.get("/api/v1/datasets/" + name, otherKey).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/datasets", otherKey).json().get("items")).isEmpty();
    }

    // ---- helpers ----

    private void assertMalformed(byte[] file, String code) {
        String jobId = createJob("malformed " + code, "csv");
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "f.csv", file);
        assertThat(created.status()).isEqualTo(201);

        JsonNode batch = awaitFinal(jobId, created.json().get("id").asString());

        assertThat(batch.get("status").asString()).isEqualTo("malformed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo(code);
        assertThat(batch.get("error").get("message").asString()).isNotBlank();
        JsonNode job = http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).json();
        assertThat(job.get("batches").get("malformed").asLong()).isEqualTo(1);
    }

    String createJob(String name, String format) {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"" + name + "\",\"operation\":\"verify\",\"output_format\":\"" + format + "\"}");
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    JsonNode batch(String jobId, String batchId) {
        return http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId, ADMIN_KEY).json();
    }

    JsonNode awaitFinal(String jobId, String batchId) {
        return awaitFinal(jobId, batchId, ADMIN_KEY);
    }

    JsonNode awaitFinal(String jobId, String batchId, String key) {
        return Batches.awaitFinal(http, key, jobId, batchId);
    }

    /**
     * Waits for the moment of a round: 0 right away (queued), 1 once the batch left queued, 2 once it is in
     * progress, 3 once chunks were processed; answers what it saw last (a fast machine may skip moments).
     */
    private String awaitMoment(String jobId, String batchId, int round) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode batch = batch(jobId, batchId);
            String status = batch.get("status").asString();
            long processed = batch.get("records").get("processed").asLong();
            boolean reached = switch (round) {
                case 0 -> true;
                case 1 -> !status.equals("queued");
                case 2 -> !status.equals("queued") && !status.equals("loading");
                default -> processed > 0 || !List.of("queued", "loading", "in_progress").contains(status);
            };
            if (reached || System.nanoTime() > deadline) {
                return status + ", " + processed + " processed";
            }
            Thread.sleep(2);
        }
    }

    /**
     * Waits until the task table holds no step of the batch (or of any batch of the job) and no purge of the
     * job: every worker that could still write a file has let go.
     */
    private void awaitTasksDone(String jobId, String batchId) {
        Await.until("no task of job " + jobId + " left in the task table", () -> jdbc.sql("""
                SELECT COUNT(*) FROM scheduled_tasks
                WHERE task_instance = :job OR task_instance LIKE :batch
                """).param("job", jobId).param("batch", (batchId == null ? "bat_" : batchId) + "%")
                .query(Long.class).single(), left -> left == 0);
    }

    byte[] downloadBytes(String jobId, String batchId) {
        if (blobs == TestBlobs.S3) {
            return downloadByRedirect(jobId, batchId);
        }
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", ADMIN_KEY).json();
        Http.Response file = http.get(result.get("download_url").asString(), null);
        assertThat(file.status()).isEqualTo(200);
        return file.bytes();
    }

    /** Follows the signed link's 302 to the bucket by hand, checking it is a presigned GET on S3Mock. */
    private byte[] downloadByRedirect(String jobId, String batchId) {
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", ADMIN_KEY).json();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> redirect = client.send(
                    HttpRequest.newBuilder(URI.create(result.get("download_url").asString())).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(redirect.statusCode()).isEqualTo(302);
            URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
            assertThat(location.getPort()).isEqualTo(TestS3.endpoint().getPort());
            assertThat(location.getPath()).startsWith("/" + server.bucket() + "/" + TestServer.S3_PREFIX + "/");
            assertThat(location.getRawQuery()).contains("X-Amz-Signature=");
            HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(location).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            // the bucket names the file as the node would have
            String fileName = URI.create(result.get("download_url").asString()).getPath().replaceAll(".*/", "");
            assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + fileName + "\"");
            return file.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    List<CsvRecord> download(String jobId, String batchId, String format) {
        byte[] bytes = downloadBytes(jobId, batchId);
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(new String(bytes, StandardCharsets.UTF_8)).forEach(rows::add);
        return rows;
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static byte[] bigFile(long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("email\n".getBytes(StandardCharsets.UTF_8));
        byte[] line = "someone.with.a.long.name@example.com\n".getBytes(StandardCharsets.UTF_8);
        while (out.size() < size) {
            out.writeBytes(line);
        }
        return out.toByteArray();
    }
}
