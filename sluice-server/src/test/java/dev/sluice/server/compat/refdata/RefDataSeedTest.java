package dev.sluice.server.compat.refdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Await;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 003 run as written: its sample request payload, byte for byte, sent by a real curl process to the
 * server on loopback, with only the hosts changed ({@code api.yesmail.com} for the server,
 * {@code my.host.com} and {@code callers.domain.com} for a loopback HTTP server that serves the file and
 * receives the callback). The responses are checked for the seed's fields and states. The same contract on
 * every store (one run per {@link TestDatabase}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class RefDataSeedTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_compat_refdata";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The seed's Request Payload, verbatim. */
    static final String SEED_PAYLOAD = """
            {
              "errorThreshold": 100,
              "importType": "replace",
              "source": {
                "headers": false,
                "mappings": [
                  { "payloadid": 0 },
                  { "carproductname": 1 },
                  { "cartproductimage": 2 }
                ],
                "separator": ",",
                "uri": "http://my.host.com/path/file.txt"
              }
            }
            """;

    /** The seed's Resource URI, {@code {dataset}} filled in. */
    static final String FILE_IMPORT = RefDataCurl.SEED_HOST + "/v2/reference-data/" + "cart_products"
            + "/records/file-import";

    /** The seed's {@code response.uri} and {@code response.ref}, as the URI parameters that set them. */
    static final String RESPONSE_URI = "http://callers.domain.com/path";
    static final String RESPONSE_REF = "callers-ref-value";

    private static final Set<String> TICKET_STATES = Set.of("accepted", "processing", "completed", "failed");

    static final CallerHost CALLERS = new CallerHost();

    @TempDir
    Path workDir;

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    RefDataCurl curl;

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                // the seed's file host and callback host are a plain-http server on loopback
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
        curl = new RefDataCurl("http://127.0.0.1:" + port, workDir);
    }

    @Test
    void the_seed_payload_imports_the_file_and_the_ticket_and_async_result_speak_the_seed() throws IOException {
        // given an account with the seed's table, and the seed's file on its host
        Tenant account = newAccount("seed-import");
        createCartProducts(account);
        String filePath = "/path/file.txt";
        CALLERS.serve(filePath, """
                1,Red roadster,http://img.example.com/1.png
                2,Blue coupe,http://img.example.com/2.png
                two,Green van,http://img.example.com/x.png
                4,Grey truck,http://img.example.com/4.png
                4,Grey truck XL,http://img.example.com/4xl.png
                """);
        String payload = SEED_PAYLOAD.replace("http://my.host.com", CALLERS.base());
        Path payloadFile = workDir.resolve("payload.json");
        Files.writeString(payloadFile, payload);
        String callback = RESPONSE_URI.replace("http://callers.domain.com", CALLERS.base());

        // when the seed's file import is sent
        RefDataCurl.Answer accepted = curl.run("-X", "POST", "-H", "Api-User: " + account.name(),
                "-H", "Api-Key: " + account.key(), "-H", "Content-Type: application/json",
                "--data-binary", "@" + payloadFile.getFileName(),
                FILE_IMPORT + "?responseUri=" + encode(callback) + "&responseRef=" + encode(RESPONSE_REF));

        // then: 202, Content-Location names the ticket, and the body is the ticket
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode ticket = accepted.json();
        assertTicketShape(ticket);
        String ticketId = ticket.get("id").asString();
        assertThat(accepted.header("Content-Location")).isEqualTo("http://127.0.0.1:" + port + "/v2/tickets/" + ticketId);
        assertThat(ticket.get("state").asString()).isIn("accepted", "processing", "completed");
        assertThat(ticket.get("events").get(0).get("state").asString()).isEqualTo("accepted");
        assertThat(ticket.get("events").get(0).get("message").asString())
                .isEqualTo("File import to reference data cart_products accepted.");

        // when the ticket is read until it is final
        List<String> states = awaitFinal(account, accepted.header("Content-Location"));

        // then it went through the seed's states to completed
        assertThat(TICKET_STATES).containsAll(states);
        assertThat(states.getLast()).isEqualTo("completed");
        JsonNode done = ticket(account, ticketId);
        assertTicketShape(done);
        assertThat(done.get("message").asString()).isEqualTo("File imported successfully.");
        List<String> eventStates = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        done.get("events").forEach(event -> {
            assertThat(names(event)).containsExactly("state", "message", "time");
            assertThat(event.get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            eventStates.add(event.get("state").asString());
            messages.add(event.get("message").asString());
        });
        assertThat(eventStates.getFirst()).isEqualTo("accepted");
        assertThat(eventStates.getLast()).isEqualTo("completed");
        assertThat(eventStates.subList(1, eventStates.size() - 1)).containsOnly("processing");
        assertThat(messages).contains("File downloaded.", "File pre-parsed, importing 5 records.",
                "File imported successfully.");
        assertThat(done.get("lastUpdate").asString()).isEqualTo(done.get("events").get(eventStates.size() - 1)
                .get("time").asString());
        JsonNode request = done.get("request");
        assertThat(names(request)).containsExactly("id", "user", "time", "uri");
        assertThat(request.get("user").asString()).isEqualTo(account.name());
        assertThat(request.get("uri").asString())
                .isEqualTo("http://127.0.0.1:" + port + "/v2/reference-data/cart_products/records/file-import");
        assertThat(request.get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode response = done.get("response");
        assertThat(names(response)).containsExactly("uri", "ref", "location");
        assertThat(response.get("uri").asString()).isEqualTo(callback);
        assertThat(response.get("ref").asString()).isEqualTo(RESPONSE_REF);
        String location = response.get("location").asString();
        assertThat(location).startsWith("http://127.0.0.1:" + port + "/v2/async-results/");

        // when the async result is read where the ticket points
        RefDataCurl.Answer result = curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: " + account.key(),
                location);

        // then: the counts and the index lists of the seed; replace keeps the last of two rows with one key
        assertThat(result.status()).as(result.body()).isEqualTo(200);
        JsonNode results = result.json();
        assertThat(names(results)).containsExactly("id", "lastUpdate", "counts", "completed", "failed", "ignored");
        assertThat(location).endsWith("/" + results.get("id").asString());
        JsonNode counts = results.get("counts");
        assertThat(names(counts)).containsExactly("completed", "failed", "ignored", "total", "requested");
        assertThat(counts.get("completed").asLong()).isEqualTo(3);
        assertThat(counts.get("failed").asLong()).isEqualTo(1);
        assertThat(counts.get("ignored").asLong()).isEqualTo(1);
        assertThat(counts.get("total").asLong()).isEqualTo(5);
        assertThat(counts.get("requested").asLong()).isEqualTo(5);
        assertThat(indexes(results.get("completed"))).containsExactly(0L, 1L, 4L);
        results.get("completed").forEach(entry -> assertThat(names(entry)).containsExactly("index", "time"));
        JsonNode failed = results.get("failed");
        assertThat(indexes(failed)).containsExactly(2L);
        assertThat(names(failed.get(0))).containsExactly("index", "time", "error");
        assertThat(failed.get(0).get("error").get("status").asInt()).isEqualTo(400);
        assertThat(failed.get(0).get("error").get("message").asString()).contains("payloadid");
        assertThat(indexes(results.get("ignored"))).containsExactly(3L);
        assertThat(names(results.get("ignored").get(0))).containsExactly("index");

        // and the table holds the records, the later of the two with key 4
        JsonNode truck = nativeGet(account, "/api/v1/datasets/cart_products/records/4");
        assertThat(truck.get("carproductname").asString()).isEqualTo("Grey truck XL");
        assertThat(nativeGet(account, "/api/v1/datasets/cart_products/records/1").get("cartproductimage").asString())
                .isEqualTo("http://img.example.com/1.png");

        // and the final ticket was posted to responseUri, through the signed notification outbox
        CallerHost.Callback posted = CALLERS.await(ticketId);
        assertThat(posted.path()).isEqualTo("/path");
        assertThat(posted.headers()).containsKeys("webhook-id", "webhook-signature", "webhook-timestamp");
        JsonNode body = JSON.readTree(posted.body());
        assertTicketShape(body);
        assertThat(body.get("id").asString()).isEqualTo(ticketId);
        assertThat(body.get("state").asString()).isEqualTo("completed");
        assertThat(body.get("response").get("ref").asString()).isEqualTo(RESPONSE_REF);
        assertThat(body.get("response").get("location").asString()).isEqualTo(location);
    }

    @Test
    void the_schema_view_lists_the_columns_a_file_can_fill() {
        // given
        Tenant account = newAccount("schema");
        createCartProducts(account);

        // when
        RefDataCurl.Answer answer = curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: " + account.key(),
                RefDataCurl.SEED_HOST + "/v2/reference-data/cart_products?view=schema");

        // then
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode schema = answer.json();
        assertThat(names(schema)).containsExactly("name", "columns", "key");
        assertThat(schema.get("name").asString()).isEqualTo("cart_products");
        assertThat(schema.get("columns")).hasSize(3);
        JsonNode first = schema.get("columns").get(0);
        assertThat(names(first)).containsExactly("name", "type", "required", "key");
        assertThat(first.get("name").asString()).isEqualTo("payloadid");
        assertThat(first.get("type").asString()).isEqualTo("integer");
        assertThat(first.get("key").asBoolean()).isTrue();
        assertThat(schema.get("columns").get(1).get("type").asString()).isEqualTo("string");
        assertThat(schema.get("key").get(0).asString()).isEqualTo("payloadid");

        // and an unknown dataset or view is refused in the envelope
        assertError(curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: " + account.key(),
                RefDataCurl.SEED_HOST + "/v2/reference-data/nothing_here?view=schema"), 404, "nothing_here");
        assertError(curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: " + account.key(),
                RefDataCurl.SEED_HOST + "/v2/reference-data/cart_products?view=records"), 400, "view=schema");
    }

    @Test
    void missing_or_wrong_credentials_answer_401() {
        // given two accounts
        Tenant account = newAccount("auth");
        Tenant other = newAccount("auth-other");
        createCartProducts(account);
        String schema = RefDataCurl.SEED_HOST + "/v2/reference-data/cart_products?view=schema";

        // when / then: no headers, no key, a wrong key, a user that is not the key's account
        assertError(curl.run(schema), 401, "Api-User");
        assertError(curl.run("-H", "Api-User: " + account.name(), schema), 401, "Api-Key");
        assertError(curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: sk_live_not_a_key", schema), 401,
                ApiCredentials.INVALID);
        assertError(curl.run("-H", "Api-User: " + other.name(), "-H", "Api-Key: " + account.key(), schema), 401,
                ApiCredentials.INVALID);
        assertError(curl.run("-X", "POST", "-H", "Api-User: " + account.name(), "-H", "Content-Type: application/json",
                "-d", SEED_PAYLOAD, FILE_IMPORT), 401, "Api-Key");
        // and the account id works as Api-User as well as its name
        assertThat(curl.run("-H", "Api-User: " + account.id(), "-H", "Api-Key: " + account.key(), schema).status())
                .isEqualTo(200);
    }

    @Test
    void a_bad_payload_or_an_unknown_dataset_answers_400_and_starts_nothing() {
        // given
        Tenant account = newAccount("bad-requests");
        createCartProducts(account);
        String user = "Api-User: " + account.name();
        String key = "Api-Key: " + account.key();

        // when / then
        assertError(post(user, key, "{not json", FILE_IMPORT), 400, "not valid JSON");
        assertError(post(user, key, "[1, 2]", FILE_IMPORT), 400, "JSON object");
        assertError(post(user, key, SEED_PAYLOAD.replace("\"uri\": \"http://my.host.com/path/file.txt\"",
                "\"uri\": \"\""), FILE_IMPORT), 400, "source.uri");
        assertError(post(user, key, "{\"importType\": \"update\"}", FILE_IMPORT), 400, "source");
        assertError(post(user, key, SEED_PAYLOAD.replace("http://my.host.com", "gopher://my.host.com"), FILE_IMPORT),
                400, "http, https or ftp");
        assertError(post(user, key, SEED_PAYLOAD.replace("\"replace\"", "\"merge\""), FILE_IMPORT), 400, "importType");
        assertError(post(user, key, SEED_PAYLOAD.replace("100", "\"150%\""), FILE_IMPORT), 400, "100%");
        assertError(post(user, key, SEED_PAYLOAD.replace("\",\"", "\"#\""), FILE_IMPORT), 400, "separator");
        assertError(post(user, key, SEED_PAYLOAD.replace("\"carproductname\"", "\"carname\""), FILE_IMPORT), 400,
                "carname");
        assertError(post(user, key, SEED_PAYLOAD.replace("\"importType\"", "\"importtype\""), FILE_IMPORT), 400,
                "importtype");
        assertError(post(user, key, SEED_PAYLOAD, FILE_IMPORT.replace("cart_products", "no_such_table")), 400,
                "no_such_table");
        assertError(post(user, key, SEED_PAYLOAD, FILE_IMPORT + "?responseUri=ftp://callers.domain.com/path"), 400,
                "responseUri");

        // and nothing was started: the account has no job
        assertThat(nativeGet(account, "/api/v1/jobs").get("items")).isEmpty();

        // and unknown or foreign ids answer 404
        assertError(curl.run("-H", user, "-H", key, RefDataCurl.SEED_HOST + "/v2/tickets/job_nope"), 404, "job_nope");
        assertError(curl.run("-H", user, "-H", key, RefDataCurl.SEED_HOST + "/v2/async-results/bat_nope"), 404,
                "bat_nope");
    }

    @Test
    void over_the_error_threshold_nothing_is_imported_and_the_ticket_fails() {
        // given a file with two bad records of four, and a threshold of one
        Tenant account = newAccount("threshold");
        createCartProducts(account);
        String filePath = "/path/threshold.txt";
        CALLERS.serve(filePath, "1,Red roadster,a.png\nx,Bad,b.png\ny,Worse,c.png\n4,Grey truck,d.png\n");
        String payload = SEED_PAYLOAD.replace("100", "1")
                .replace("http://my.host.com/path/file.txt", CALLERS.base() + filePath);

        // when
        RefDataCurl.Answer accepted = post("Api-User: " + account.name(), "Api-Key: " + account.key(), payload,
                FILE_IMPORT);

        // then the ticket ends failed, with the reason, no result location, and the table is untouched
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        List<String> states = awaitFinal(account, accepted.header("Content-Location"));
        assertThat(states.getLast()).isEqualTo("failed");
        JsonNode ticket = ticket(account, accepted.json().get("id").asString());
        assertTicketShape(ticket);
        assertThat(ticket.get("message").asString()).startsWith("File import failed: error_threshold_exceeded")
                .contains("2 of 4");
        assertThat(ticket.get("events").get(ticket.get("events").size() - 1).get("state").asString())
                .isEqualTo("failed");
        assertThat(ticket.get("response").has("location")).isFalse();
        assertThat(nativeGet(account, "/api/v1/datasets/cart_products/records?limit=10").get("items")).isEmpty();
        String resultId = nativeGet(account, "/api/v1/jobs/" + ticket.get("id").asString() + "/batches")
                .get("items").get(0).get("id").asString();
        assertError(curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: " + account.key(),
                RefDataCurl.SEED_HOST + "/v2/async-results/" + resultId), 404, "failed");

        // and another account sees neither the ticket nor its result
        Tenant other = newAccount("threshold-other");
        assertError(curl.run("-H", "Api-User: " + other.name(), "-H", "Api-Key: " + other.key(),
                RefDataCurl.SEED_HOST + "/v2/tickets/" + ticket.get("id").asString()), 404, "no ticket");
        assertError(curl.run("-H", "Api-User: " + other.name(), "-H", "Api-Key: " + other.key(),
                RefDataCurl.SEED_HOST + "/v2/async-results/" + resultId), 404, "no async result");
    }

    @Test
    void a_file_its_host_does_not_have_fails_the_ticket_with_the_reason() {
        // given a source uri the file host answers 404 for
        Tenant account = newAccount("missing-file");
        createCartProducts(account);
        String payload = SEED_PAYLOAD.replace("http://my.host.com/path/file.txt", CALLERS.base() + "/path/none.txt");

        // when
        RefDataCurl.Answer accepted = post("Api-User: " + account.name(), "Api-Key: " + account.key(), payload,
                FILE_IMPORT);

        // then
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(awaitFinal(account, accepted.header("Content-Location")).getLast()).isEqualTo("failed");
        JsonNode ticket = ticket(account, accepted.json().get("id").asString());
        assertThat(ticket.get("message").asString()).startsWith("File import failed: fetch_failed").contains("404");
    }

    @Test
    void the_openapi_document_lists_the_front_door() {
        // when
        HttpResponse<String> response = send(HttpRequest.newBuilder(nativeUri("/api/v1/openapi.json")));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(response.body()).get("paths");
        assertThat(paths.has("/v2/reference-data/{dataset}")).isTrue();
        assertThat(paths.get("/v2/reference-data/{dataset}/records/file-import").has("post")).isTrue();
        assertThat(paths.has("/v2/tickets/{id}")).isTrue();
        assertThat(paths.has("/v2/async-results/{id}")).isTrue();
    }

    // --- helpers -------------------------------------------------------------------------------------------


    private RefDataCurl.Answer post(String user, String key, String payload, String url) {
        return curl.run("-X", "POST", "-H", user, "-H", key, "-H", "Content-Type: application/json", "-d", payload, url);
    }

    private static void assertError(RefDataCurl.Answer answer, int status, String text) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(names(body)).containsExactly("status", "message");
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asString()).contains(text);
    }

    private static void assertTicketShape(JsonNode ticket) {
        assertThat(names(ticket)).containsExactly("id", "state", "message", "lastUpdate", "events", "request",
                "response");
        assertThat(TICKET_STATES).contains(ticket.get("state").asString());
        assertThat(ticket.get("events").isArray()).isTrue();
        assertThat(ticket.get("lastUpdate").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        ticket.get("events").forEach(e -> assertThat(TICKET_STATES).contains(e.get("state").asString()));
    }

    private JsonNode ticket(Tenant account, String id) {
        RefDataCurl.Answer answer = curl.run("-H", "Api-User: " + account.name(), "-H", "Api-Key: " + account.key(),
                RefDataCurl.SEED_HOST + "/v2/tickets/" + id);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private List<String> awaitFinal(Tenant account, String ticketUrl) {
        List<String> states = new ArrayList<>();
        return Await.until("the ticket final (the states seen)", () -> {
            RefDataCurl.Answer answer = curl.run("-H", "Api-User: " + account.name(), "-H",
                    "Api-Key: " + account.key(), ticketUrl);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            String state = answer.json().get("state").asString();
            if (states.isEmpty() || !states.getLast().equals(state)) {
                states.add(state);
            }
            return List.copyOf(states);
        }, seen -> seen.getLast().equals("completed") || seen.getLast().equals("failed"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<Long> indexes(JsonNode list) {
        List<Long> out = new ArrayList<>();
        list.forEach(entry -> out.add(entry.get("index").asLong()));
        return out;
    }

    private static Set<String> names(JsonNode node) {
        return new LinkedHashSet<>(node.propertyNames());
    }

    /** A fresh account through the native API, under a name no other test took: its name is the Api-User. */
    private Tenant newAccount(String name) {
        return Tenant.create(server.http(), ADMIN_KEY, name + "-" + System.nanoTime());
    }

    /** The seed's table: the three columns its mappings name, keyed on payloadid. */
    private void createCartProducts(Tenant account) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(nativeUri("/api/v1/datasets"))
                .header("x-api-key", account.key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "cart_products", "columns": [
                          {"name": "payloadid", "type": "integer", "required": true},
                          {"name": "carproductname", "type": "string"},
                          {"name": "cartproductimage", "type": "string"}],
                         "key": ["payloadid"]}""")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private JsonNode nativeGet(Tenant account, String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(nativeUri(path)).header("x-api-key", account.key()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI nativeUri(String path) {
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
