package dev.sluice.server.compat.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * Seeds 000 and 001 run as written: their cURL examples, by a real curl process, against the server on
 * loopback, with only the host, the placeholders and the ids substituted. The seed's authorization call
 * and the upload PUT are not printed in these seeds; they are written in the same style. The same
 * contract on every store (one run per {@link TestDatabase}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class AppendSeedTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_compat_append";


    // --- the seeds' examples, verbatim -------------------------------------------------------------------

    /** 001: Create Asynchronous Job URI. */
    static final String CREATE_JOB = """
            curl -X POST -H "Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache" -d '{ "name": "Tutorial Job", "output_format": "JSON", "notification_URL": "https://www.example.com/api/job-listener", "notification_method": "POST" }' "https:// api.thedatagroup.com/v3/async/append/email/job\"""";

    /** 001: Retrieve Asynchronous Job URI. */
    static final String RETRIEVE_JOB = """
            curl -X GET -H ""Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache"  "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0\"""";

    /** 000: Create Asynchronous Batch-File URI. */
    static final String CREATE_BATCH_FILE = """
            curl -X POST -H "Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache" -d '{
             "output_format": "JSON",
             "notification_URL": "https://www.example.com/api/batch-file-listener",
             "notification_method": "POST"
            } ' "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0/batch-file\"""";

    /** 000: Retrieve Asynchronous Batch-File URI. */
    static final String RETRIEVE_BATCH_FILE = """
            curl -X GET -H ""Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache"  "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0/batch-file/160427130036tew\"""";

    /** 000: Retrieve Asynchronous Batch-File Result URI. */
    static final String RETRIEVE_BATCH_FILE_RESULT = """
            curl -X GET -H ""Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache"  "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0/batch-file/160427130036tew/result\"""";

    // --- the steps the seeds name without printing them, in the same style ------------------------------

    /** The Authorization Tutorial the seeds refer to: the API key in, a token out. */
    static final String AUTHORIZATION = """
            curl -X POST -H "x-api-key: {your_key}" -H "Cache-Control: no-cache" "https://api.thedatagroup.com/v3/authorization\"""";

    /** "use the provided Upload URL to upload your records to the API, using an http PUT request". */
    static final String UPLOAD = """
            curl -X PUT -T records.csv "{upload_URL}\"""";

    /** "a download URL which can be used to retrieve the processed Batch-File, using an http GET request". */
    static final String DOWNLOAD = """
            curl -X GET "{download_url}\"""";

    /** The Asynchronous Batch: the records in the payload. */
    static final String CREATE_BATCH = """
            curl -X POST -H "Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache" -d '{ "records": [ { "first_name": "Ann", "last_name": "Lee", "address": "45 Oak Ave", "city": "Boston", "state": "MA", "zip": "02134" }, { "first_name": "Bob", "last_name": "Nobody", "address": "9 Elm St", "city": "Austin", "state": "TX", "zip": "73301" } ] }' "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0/batch\"""";

    static final String RETRIEVE_BATCH = """
            curl -X GET -H "Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache"  "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0/batch/160427130036tew\"""";

    static final String RETRIEVE_BATCH_RESULT = """
            curl -X GET -H "Content-Type: application/json" -H "AuthorizationToken: {your_token}" -H "x-api-key: {your_key}" -H "Cache-Control: no-cache"  "https://api.thedatagroup.com/v3/async/append/email/job/160718103247ad0/batch/160427130036tew/result\"""";

    private static final Set<String> BATCH_STATES = Set.of("WAITING_FOR_UPLOAD", "QUEUED", "IN_PROGRESS", "COMPLETED",
            "FAILED", "MALFORMED");

    @TempDir
    Path workDir;

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    SeedCurl curl;

    @Autowired
    AccountService accounts;

    @Autowired
    TokenStore tokenStore;

    @Autowired
    NodeProperties node;

    /** Stands in for the seed's notification host, www.example.com, on loopback. */
    static final Receiver RECEIVER = Receiver.start();

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                // the seed's notification_URL is pointed at the loopback receiver, which is plain http
                Map.entry("sluice.delivery.allow-http", "true"),
                Map.entry("sluice.fetch.allow", "127.0.0.1"),
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
        curl = new SeedCurl("http://127.0.0.1:" + port, workDir);
    }

    @Test
    void the_seed_examples_append_emails_to_an_uploaded_batch_file() throws IOException {
        // given a token for the key
        String key = Tenant.create(server.http(), ADMIN_KEY, "batch-file").key();
        String token = authorize(key);

        // when the seed's job is created
        SeedCurl.Answer created = curl.run(CREATE_JOB, creds(key, token));

        // then
        assertThat(created.status()).isEqualTo(200);
        JsonNode createdJson = created.json();
        assertThat(names(createdJson)).containsExactly("job_id");
        String jobId = createdJson.get("job_id").asString();
        JsonNode job = retrieveJob(key, token, jobId);
        assertJobShape(job);
        assertThat(job.get("state").asString()).isEqualTo("WAITING_FOR_UPLOAD");
        assertThat(job.get("output_format").asString()).isEqualTo("JSON");
        assertThat(job.get("batch_list")).isEmpty();

        // given the emails in the account's dataset, which the job made on first use
        seedPerson(key, "John", "Smith", "123 Main Street", "Springfield", "IL", "12345", "john.smith@example.com");
        seedPerson(key, "Ann", "Lee", "45 Oak Avenue", "Boston", "MA", "02134", "ann.lee@example.net");

        // when the seed's batch-file is created
        SeedCurl.Answer batchFile = curl.run(CREATE_BATCH_FILE, with(creds(key, token), "160718103247ad0", jobId));

        // then it answers an id and an upload URL good for 8 hours
        assertThat(batchFile.status()).isEqualTo(200);
        assertThat(names(batchFile.json())).containsExactly("batch_id", "upload_URL");
        String batchId = batchFile.json().get("batch_id").asString();
        String uploadUrl = batchFile.json().get("upload_URL").asString();
        assertThat(uploadUrl).startsWith("http://127.0.0.1:" + port + "/");
        long expires = Long.parseLong(URI.create(uploadUrl).getQuery().replaceAll(".*expires=(\\d+).*", "$1"));
        assertThat(expires - System.currentTimeMillis() / 1000).isBetween(8 * 3600L - 120, 8 * 3600L);
        Map<String, String> ids = with(with(creds(key, token), "160718103247ad0", jobId), "160427130036tew", batchId);
        JsonNode waiting = retrieve(RETRIEVE_BATCH_FILE, ids);
        assertThat(names(waiting)).containsExactly("state", "created_date");
        assertThat(waiting.get("state").asString()).isEqualTo("WAITING_FOR_UPLOAD");
        assertThat(waiting.get("created_date").asString()).matches("\\d{13}");
        job = retrieveJob(key, token, jobId);
        assertThat(job.get("number_batches_waiting_for_upload").asLong()).isEqualTo(1);
        assertThat(job.get("batch_list").get(0).asString()).isEqualTo(batchId);
        SeedCurl.Answer early = curl.run(RETRIEVE_BATCH_FILE_RESULT, ids);
        assertThat(early.status()).isEqualTo(409);
        assertThat(names(early.json())).containsExactly("message");
        assertThat(early.json().get("message").asString()).contains("WAITING_FOR_UPLOAD", "COMPLETED");

        // when the records are PUT to the upload URL
        Files.writeString(workDir.resolve("records.csv"), """
                first_name,last_name,address,city,state,zip
                John,Smith,123 Main St.,Springfield,IL,12345
                ANN,lee,45 Oak Avenue,Boston,MA,02134-1111
                Zed,Nobody,1 Nowhere Rd,Nowhere,NV,99999
                """);
        SeedCurl.Answer put = curl.run(UPLOAD, Map.of("{upload_URL}", uploadUrl));
        assertThat(put.status()).isEqualTo(200);
        List<String> states = awaitCompleted(RETRIEVE_BATCH_FILE, ids);

        // then the batch-file went through the seed's states to COMPLETED
        assertThat(BATCH_STATES).containsAll(states);
        assertThat(states.getLast()).isEqualTo("COMPLETED");
        job = retrieveJob(key, token, jobId);
        assertJobShape(job);
        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("number_batches_completed").asLong()).isEqualTo(1);
        assertThat(job.get("number_batches_waiting_for_upload").asLong()).isZero();
        assertThat(job.get("number_batches_queued").asLong()).isZero();
        assertThat(job.get("number_batches_in_progress").asLong()).isZero();
        assertThat(job.get("number_batches_failed").asLong()).isZero();
        assertThat(job.get("number_batches_malformed").asLong()).isZero();

        // and its result is the records with their emails appended, as JSON
        SeedCurl.Answer result = curl.run(RETRIEVE_BATCH_FILE_RESULT, ids);
        assertThat(result.status()).isEqualTo(200);
        assertThat(names(result.json())).containsExactly("download_url");
        SeedCurl.Answer file = curl.run(DOWNLOAD, Map.of("{download_url}", result.json().get("download_url").asString()));
        assertThat(file.status()).isEqualTo(200);
        JsonNode rows = file.json();
        assertThat(rows).hasSize(3);
        assertThat(names(rows.get(0))).containsExactly("first_name", "last_name", "address", "city", "state", "zip",
                "email", "sluice_match");
        assertThat(rows.get(0).get("email").asString()).isEqualTo("john.smith@example.com");
        assertThat(rows.get(1).get("email").asString()).isEqualTo("ann.lee@example.net");
        assertThat(rows.get(1).get("sluice_match").asString()).isEqualTo("normalized");
        assertThat(rows.get(2).get("email").asString()).isEmpty();
        assertThat(rows.get(2).get("sluice_match").asString()).isEqualTo("none");
        // and the job's notification_URL was called with its notification_method when the batch-file finished
        Receiver.Call call = RECEIVER.await(batchId, "/api/job-listener");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.body()).contains(jobId, "batch.completed");
        // and so was the batch-file's own
        Receiver.Call own = RECEIVER.await(batchId, "/api/batch-file-listener");
        assertThat(own.method()).isEqualTo("POST");
        assertThat(own.body()).contains(jobId, "batch_file.completed");
    }

    @Test
    void an_asynchronous_batch_of_records_in_the_payload_appends_their_emails() {
        // given a job and a person in the dataset
        String key = Tenant.create(server.http(), ADMIN_KEY, "batch").key();
        String token = authorize(key);
        String jobId = curl.run(CREATE_JOB, creds(key, token)).json().get("job_id").asString();
        seedPerson(key, "Ann", "Lee", "45 Oak Avenue", "Boston", "MA", "02134", "ann.lee@example.net");

        // when the records are sent in the payload
        SeedCurl.Answer created = curl.run(CREATE_BATCH, with(creds(key, token), "160718103247ad0", jobId));

        // then
        assertThat(created.status()).isEqualTo(200);
        assertThat(names(created.json())).containsExactly("batch_id");
        String batchId = created.json().get("batch_id").asString();
        Map<String, String> ids = with(with(creds(key, token), "160718103247ad0", jobId), "160427130036tew", batchId);
        List<String> states = awaitCompleted(RETRIEVE_BATCH, ids);
        assertThat(BATCH_STATES).containsAll(states);
        assertThat(states).doesNotContain("WAITING_FOR_UPLOAD");
        JsonNode job = retrieveJob(key, token, jobId);
        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("number_batches_completed").asLong()).isEqualTo(1);
        assertThat(job.get("batch_list").get(0).asString()).isEqualTo(batchId);
        SeedCurl.Answer result = curl.run(RETRIEVE_BATCH_RESULT, ids);
        assertThat(result.status()).isEqualTo(200);
        JsonNode rows = curl.run(DOWNLOAD, Map.of("{download_url}", result.json().get("download_url").asString())).json();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("email").asString()).isEqualTo("ann.lee@example.net");
        assertThat(rows.get(1).get("email").asString()).isEmpty();
        assertThat(RECEIVER.await(batchId).body()).contains("batch.completed");
    }

    @Test
    void a_batch_files_own_notification_url_hears_that_batch_file_signed_and_the_jobs_url_hears_the_job() throws IOException {
        // given a job with its listener, a batch-file with the seed's own listener and a batch without one
        String key = Tenant.create(server.http(), ADMIN_KEY, "batch-file-listener").key();
        String token = authorize(key);
        String jobId = curl.run(CREATE_JOB, creds(key, token)).json().get("job_id").asString();
        Map<String, String> job = with(creds(key, token), "160718103247ad0", jobId);
        SeedCurl.Answer batchFile = curl.run(CREATE_BATCH_FILE, job);
        assertThat(batchFile.status()).isEqualTo(200);
        String listened = batchFile.json().get("batch_id").asString();
        String other = curl.run(CREATE_BATCH, job).json().get("batch_id").asString();

        // when the batch-file's records are uploaded and both batches finish
        Files.writeString(workDir.resolve("records.csv"), """
                first_name,last_name,address,city,state,zip
                Zed,Nobody,1 Nowhere Rd,Nowhere,NV,99999
                """);
        assertThat(curl.run(UPLOAD, Map.of("{upload_URL}", batchFile.json().get("upload_URL").asString())).status())
                .isEqualTo(200);
        awaitCompleted(RETRIEVE_BATCH_FILE, with(job, "160427130036tew", listened));
        awaitCompleted(RETRIEVE_BATCH, with(job, "160427130036tew", other));
        server.awaitNoTasks("delivery-send", "");

        // then the batch-file's listener heard exactly that batch-file's final state, with its method, signed
        List<Receiver.Call> own = RECEIVER.calls().stream()
                .filter(call -> call.path().equals("/api/batch-file-listener") && call.body().contains(jobId)).toList();
        assertThat(own).hasSize(1);
        Receiver.Call call = own.getFirst();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.body()).contains(listened, "batch_file.completed").doesNotContain(other);
        String secret = server.http().get("/api/v1/webhook-secret", key).json().get("secret").asString();
        assertSigned(call, secret);
        // and the job's listener still heard the job: each of its batches once, as before
        List<Receiver.Call> jobs = RECEIVER.calls().stream()
                .filter(c -> c.path().equals("/api/job-listener") && c.body().contains(jobId)).toList();
        assertThat(jobs).hasSize(2);
        assertThat(jobs).allSatisfy(c -> assertThat(c.body()).contains("batch.completed"));
        assertThat(jobs).anySatisfy(c -> assertThat(c.body()).contains(listened));
        assertThat(jobs).anySatisfy(c -> assertThat(c.body()).contains(other));
        jobs.forEach(c -> assertSigned(c, secret));
    }

    /** A receiver's check of the signature, written independently of the server's signer. */
    private static void assertSigned(Receiver.Call call, String secret) {
        String id = call.headers().get("webhook-id");
        String timestamp = call.headers().get("webhook-timestamp");
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + call.payload())
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(call.headers().get("webhook-signature"))
                    .isEqualTo("v1," + java.util.Base64.getEncoder().encodeToString(expected));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void calls_without_a_valid_token_for_the_key_answer_401_and_without_a_key_403() {
        // given two accounts, a token for the first
        String key = Tenant.create(server.http(), ADMIN_KEY, "tokens").key();
        String other = Tenant.create(server.http(), ADMIN_KEY, "other").key();
        String token = authorize(key);

        // when / then: no token
        SeedCurl.Answer missing = curl.run(CREATE_JOB.replace("-H \"AuthorizationToken: {your_token}\" ", ""),
                creds(key, token));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(names(missing.json())).containsExactly("message");
        // an unknown token
        assertThat(curl.run(CREATE_JOB, creds(key, "not-a-token")).status()).isEqualTo(401);
        // a token issued to another key
        assertThat(curl.run(CREATE_JOB, creds(other, token)).status()).isEqualTo(401);
        // no API key, or an unknown one
        SeedCurl.Answer noKey = curl.run(CREATE_JOB.replace("-H \"x-api-key: {your_key}\" ", ""), creds(key, token));
        assertThat(noKey.status()).isEqualTo(403);
        assertThat(names(noKey.json())).containsExactly("message");
        assertThat(curl.run(AUTHORIZATION, Map.of("{your_key}", "sk_unknown")).status()).isEqualTo(403);
        // another account's job is not found
        String jobId = curl.run(CREATE_JOB, creds(key, token)).json().get("job_id").asString();
        SeedCurl.Answer foreign = curl.run(RETRIEVE_JOB, with(creds(other, authorize(other)), "160718103247ad0", jobId));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(names(foreign.json())).containsExactly("message");
    }

    @Test
    void a_job_needs_a_name_and_a_whole_notification() {
        // given
        String key = Tenant.create(server.http(), ADMIN_KEY, "validation").key();
        String token = authorize(key);

        // when / then
        SeedCurl.Answer noName = curl.run(CREATE_JOB.replace("\"name\": \"Tutorial Job\", ", ""), creds(key, token));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("message").asString()).contains("name");
        SeedCurl.Answer noMethod = curl.run(CREATE_JOB.replace(", \"notification_method\": \"POST\"", ""),
                creds(key, token));
        assertThat(noMethod.status()).isEqualTo(400);
        assertThat(noMethod.json().get("message").asString()).contains("notification_method");
        SeedCurl.Answer badFormat = curl.run(CREATE_JOB.replace("\"JSON\"", "\"XML\""), creds(key, token));
        assertThat(badFormat.status()).isEqualTo(400);
    }

    @Test
    void a_token_is_refused_once_its_ttl_has_passed() {
        // given a token issued at a fixed time with a one hour life
        String key = Tenant.create(server.http(), ADMIN_KEY, "expiry").key();
        MovingClock clock = new MovingClock(Instant.parse("2026-01-01T00:00:00Z"));
        AuthorizationTokens tokens = new AuthorizationTokens(accounts, tokenStore,
                new CompatAppendProperties(Duration.ofHours(1), CompatAppendProperties.DEFAULT_DATASET), node, clock);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(AuthorizationTokens.API_KEY_HEADER, key);
        AuthorizationTokens.Issued issued = tokens.issue(tokens.keyHolder(request));
        request.addHeader(AuthorizationTokens.TOKEN_HEADER, issued.token());
        assertThat(issued.expiresAt()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));

        // when / then: accepted until the last millisecond, refused from the expiry on
        clock.now = Instant.parse("2026-01-01T00:59:59.999Z");
        assertThat(tokens.caller(request).keyId()).isNotBlank();
        clock.now = issued.expiresAt();
        assertThatThrownBy(() -> tokens.caller(request)).isInstanceOf(SeedException.class)
                .hasMessageContaining("expired")
                .satisfies(e -> assertThat(((SeedException) e).status()).isEqualTo(401));
    }

    /** A clock a test moves by hand. */
    private static final class MovingClock extends Clock {

        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private String authorize(String key) {
        SeedCurl.Answer answer = curl.run(AUTHORIZATION, Map.of("{your_key}", key));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(names(answer.json())).containsExactly("token", "expiration_date");
        long expiresAt = Long.parseLong(answer.json().get("expiration_date").asString());
        assertThat(expiresAt - System.currentTimeMillis()).isBetween(3_600_000L - 120_000, 3_600_000L);
        return answer.json().get("token").asString();
    }

    private JsonNode retrieveJob(String key, String token, String jobId) {
        return retrieve(RETRIEVE_JOB, with(creds(key, token), "160718103247ad0", jobId));
    }

    private JsonNode retrieve(String command, Map<String, String> substitutions) {
        SeedCurl.Answer answer = curl.run(command, substitutions);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private List<String> awaitCompleted(String command, Map<String, String> ids) {
        List<String> states = new ArrayList<>();
        return Await.until("the batch final (the states seen)", () -> {
            String state = retrieve(command, ids).get("state").asString();
            if (states.isEmpty() || !states.getLast().equals(state)) {
                states.add(state);
            }
            return List.copyOf(states);
        }, seen -> Set.of("COMPLETED", "FAILED", "MALFORMED").contains(seen.getLast()));
    }

    private static void assertJobShape(JsonNode job) {
        assertThat(names(job)).containsExactly("state", "number_batches_waiting_for_upload", "number_batches_queued",
                "number_batches_in_progress", "number_batches_completed", "number_batches_failed",
                "number_batches_malformed", "created_date", "output_format", "batch_list");
        assertThat(job.get("created_date").isString()).isTrue();
        assertThat(job.get("created_date").asString()).matches("\\d{13}");
        assertThat(job.get("batch_list").isArray()).isTrue();
    }

    private static Map<String, String> creds(String key, String token) {
        return Map.of("{your_key}", key, "{your_token}", token, "https://www.example.com", RECEIVER.base());
    }

    /** A notification receiver on loopback: records every call and answers 204. */
    record Receiver(HttpServer server, List<Call> calls) {

        /** {@code body} is the payload and the raw query; {@code headers} lower-cased. */
        record Call(String method, String path, String body, String payload, Map<String, String> headers) {
        }

        static Receiver start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                List<Call> calls = new CopyOnWriteArrayList<>();
                server.createContext("/", exchange -> {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Map<String, String> headers = new java.util.HashMap<>();
                    exchange.getRequestHeaders().forEach((name, values) ->
                            headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
                    calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            body + exchange.getRequestURI().getRawQuery(), body, headers));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
                server.start();
                return new Receiver(server, calls);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        Call await(String batchId, String path) {
            return Await.until("a notification for batch " + batchId + " at " + path,
                    () -> calls.stream().filter(call -> call.path().equals(path) && call.body().contains(batchId))
                            .findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
        }

        Call await(String batchId) {
            return Await.until("a notification for batch " + batchId,
                    () -> calls.stream().filter(call -> call.body().contains(batchId)).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
        }
    }

    private static Map<String, String> with(Map<String, String> map, String placeholder, String value) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(map);
        copy.put(placeholder, value);
        return copy;
    }

    private static Set<String> names(JsonNode node) {
        return new LinkedHashSet<>(node.propertyNames());
    }

    /** A person in the account's email_append dataset, through the native records API. */
    private void seedPerson(String key, String first, String last, String address, String city, String state,
            String zip, String email) {
        String path = String.join(",", first, last, address, zip).replace(" ", "%20");
        HttpResponse<String> response = send(HttpRequest.newBuilder(native_("/api/v1/datasets/email_append/records/" + path))
                .header("x-api-key", key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"city\": \"" + city + "\", \"state\": \"" + state
                        + "\", \"email\": \"" + email + "\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private URI native_(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
