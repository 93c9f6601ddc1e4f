package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.TestBlobs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP edges of every door: what the server answers to requests it cannot read (broken escapes,
 * matrix parameters, wildcard media types, oversized headers, Java-shaped refusals), and the headers every
 * answer carries. Requests go over a raw socket, so the bytes on the wire are exactly the ones written here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class HttpEdgeTest {

    static final String KEY = ApiContractTest.ADMIN_KEY;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        ApiContractTest.properties(TestBlobs.LOCAL).forEach((name, value) -> registry.add(name, () -> value));
    }

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** Sends exactly this request head (and body) and reads the whole answer. */
    Answer raw(String method, String target, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        return exchange(head.toString(), bytes);
    }

    /**
     * Writes the request and reads the answer. A server may answer before it read the whole body (a 413 for a body
     * over the limit) and close: the write then fails on a closed connection, and the answer is still there to read.
     */
    private Answer exchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (SocketException writeFailed) {
                try {
                    return parse(socket.getInputStream());
                } catch (IOException readFailed) {
                    writeFailed.addSuppressed(readFailed);
                    throw writeFailed;
                }
            }
            return parse(socket.getInputStream());
        }
    }

    /** As {@link #raw(String, String, Map, String)}, with the body bytes already framed (e.g. chunked). */
    Answer raw(String method, String target, Map<String, String> headers, String ignored, String framedBody)
            throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        return exchange(head.toString(), framedBody.getBytes(StandardCharsets.UTF_8));
    }

    Answer get(String target, String key) throws IOException {
        return raw("GET", target, key == null ? Map.of() : Map.of("X-Api-Key", key), null);
    }

    Answer postJson(String target, String body) throws IOException {
        return raw("POST", target, Map.of("X-Api-Key", KEY, "Content-Type", "application/json"), body);
    }

    private static Answer parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        // one char per byte, so chunk sizes count right; the body is decoded as UTF-8 at the end
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("code").asString()).isEqualTo(code);
    }

    // ---- #13 item 8: escapes that are not UTF-8 ----

    @Test
    void an_invalid_utf8_escape_in_a_query_answers_400_in_each_doors_envelope_and_logs_no_error(CapturedOutput output)
            throws IOException {
        Answer nativeApi = get("/api/v1/jobs?status=%ff%fe", KEY);
        Answer withoutKey = get("/email/batch?lqtkey=x&a=%ff", null);
        Answer refData = get("/v2/tickets/t1?x=%ff", null);

        assertProblem(nativeApi, 400, "invalid_request");
        assertThat(nativeApi.json().get("detail").asString()).contains("UTF-8");
        assertThat(withoutKey.status()).isEqualTo(400);
        assertThat(withoutKey.json().get("Status").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(refData.status()).isEqualTo(400);
        assertThat(refData.json().get("status").asInt()).isEqualTo(400);
        assertThat(output.getAll()).doesNotContain("InvalidParameterException").doesNotContain("request failed");
    }

    // ---- #13 item 10: refusals in the API's words ----

    @Test
    void refusals_name_fields_and_json_types_never_java_classes() throws IOException {
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("array body", postJson("/api/v1/jobs", "[1]"));
        answers.put("broken json", postJson("/api/v1/jobs", "{\"name\":"));
        answers.put("wrong field type", postJson("/api/v1/jobs",
                "{\"name\":\"x\",\"operation\":\"verify\",\"retention_hours\":\"soon\"}"));
        answers.put("record body", raw("PUT", "/api/v1/datasets/people/records/k",
                Map.of("X-Api-Key", KEY, "Content-Type", "application/json"), "[1]"));
        answers.put("limit type", get("/api/v1/jobs?limit=abc", KEY));
        answers.put("limit range", get("/api/v1/jobs?limit=0", KEY));
        answers.put("method", raw("DELETE", "/api/v1/jobs", Map.of("X-Api-Key", KEY), null));
        answers.put("media type", raw("POST", "/api/v1/jobs", Map.of("X-Api-Key", KEY, "Content-Type", "text/plain"), "x"));
        answers.put("append door body", raw("POST", "/v1/async/append/email/job", Map.of("Content-Type", "application/json"), "[1]"));

        String job = JSON.readTree(postJson("/api/v1/jobs", "{\"name\":\"j\",\"operation\":\"verify\"}").body())
                .get("id").asString();
        answers.put("inline batch", postJson("/api/v1/jobs/" + job + "/batches", "{bad"));
        answers.put("inline record type", postJson("/api/v1/jobs/" + job + "/batches", "{\"records\":[1]}"));
        answers.put("refdata body", raw("POST", "/v2/reference-data/people/records/file-import",
                Map.of("Content-Type", "application/json"), "{bad"));

        answers.forEach((what, answer) -> {
            assertThat(answer.status()).as(what).isBetween(400, 415);
            assertThat(answer.body()).as(what).doesNotContain("java.", "dev.sluice", "jackson", "Jackson", "JsonToken",
                    "Integer", "String", "Map<");
        });
        assertThat(answers.get("array body").json().get("detail").asString()).isEqualTo("the body must be a JSON object");
        assertThat(answers.get("inline batch").json().get("detail").asString())
                .isEqualTo("the body is not valid JSON (line 1, column 2)");
        assertThat(answers.get("inline record type").json().get("detail").asString()).contains("a number");
        assertThat(answers.get("broken json").json().get("detail").asString())
                .isEqualTo("the body is not valid JSON (line 1, column 9)");
        assertThat(answers.get("wrong field type").json().get("detail").asString())
                .isEqualTo("'retention_hours' must be an integer");
        assertThat(answers.get("limit type").json().get("detail").asString()).isEqualTo("'limit' must be an integer");
        assertThat(answers.get("limit range").json().get("detail").asString())
                .isEqualTo("'limit' must be an integer from 1 to 200");
        assertThat(answers.get("method").json().get("detail").asString())
                .isEqualTo("DELETE is not allowed on this path; use GET, POST");
    }

    // ---- #13 item 11: the container's own errors ----

    @Test
    void get_error_answers_404_problem_details() throws IOException {
        assertProblem(get("/error", KEY), 404, "not_found");
        assertProblem(get("/error", null), 404, "not_found");
    }

    @Test
    void tomcat_level_refusals_answer_problem_json_not_html() throws IOException {
        Answer badEscape = get("/api/v1/%zz", KEY);
        Answer hugeHeader = raw("GET", "/api/v1/jobs", Map.of("X-Api-Key", KEY, "X-Big", "a".repeat(20_000)), null);

        assertProblem(badEscape, 400, "invalid_request");
        assertProblem(hugeHeader, 400, "invalid_request");
        assertThat(badEscape.body()).doesNotContain("<html");
        assertThat(badEscape.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    // ---- #13 item 14: matrix parameters ----

    @Test
    void a_record_key_with_an_unencoded_semicolon_is_refused_and_an_encoded_one_is_kept_whole() throws IOException {
        // given a dataset keyed by one string column
        assertThat(postJson("/api/v1/datasets", "{\"name\":\"semis\",\"columns\":[{\"name\":\"code\"},"
                + "{\"name\":\"label\"}],\"key\":[\"code\"]}").status()).isEqualTo(201);
        Map<String, String> json = Map.of("X-Api-Key", KEY, "Content-Type", "application/json");

        // when a key is written with a bare ';', and then with an escaped one
        Answer bare = raw("PUT", "/api/v1/datasets/semis/records/semi;colon", json, "{\"label\":\"bare\"}");
        Answer escaped = raw("PUT", "/api/v1/datasets/semis/records/semi%3Bcolon", json, "{\"label\":\"escaped\"}");

        // then the bare one wrote nothing (no record 'semi'), the escaped one is the whole key
        assertProblem(bare, 400, "invalid_request");
        assertThat(bare.json().get("detail").asString()).contains("%3B");
        assertThat(get("/api/v1/datasets/semis/records/semi", KEY).status()).isEqualTo(404);
        assertThat(escaped.status()).isEqualTo(200);
        assertThat(get("/api/v1/datasets/semis/records/semi%3Bcolon", KEY).json().get("code").asString())
                .isEqualTo("semi;colon");
    }

    // ---- #13 item 9: nulls and huge numbers in a dataset's definition and mappings ----

    @Test
    void null_columns_keys_and_oversized_mapping_indexes_answer_400_naming_the_field() throws IOException {
        Answer nullColumn = postJson("/api/v1/datasets",
                "{\"name\":\"n1\",\"columns\":[{\"name\":\"a\"},null],\"key\":[\"a\"]}");
        Answer nullKey = postJson("/api/v1/datasets",
                "{\"name\":\"n2\",\"columns\":[{\"name\":\"a\"}],\"key\":[\"a\",null]}");
        assertThat(postJson("/api/v1/datasets",
                "{\"name\":\"n3\",\"columns\":[{\"name\":\"a\"}],\"key\":[\"a\"]}").status()).isEqualTo(201);
        Answer hugeIndex = postJson("/api/v1/jobs", "{\"name\":\"i\",\"operation\":\"import\",\"options\":"
                + "{\"dataset\":\"n3\",\"source\":{\"mappings\":[{\"a\":4294967296}]}}}");

        assertProblem(nullColumn, 400, "invalid_request");
        assertThat(nullColumn.json().get("detail").asString()).startsWith("'columns[1]'");
        assertProblem(nullKey, 400, "invalid_request");
        assertThat(nullKey.json().get("detail").asString()).startsWith("'key[1]'");
        assertProblem(hugeIndex, 400, "invalid_request");
        assertThat(hugeIndex.json().get("detail").asString()).contains("mapping 'a'").contains("4294967296");
    }

    // ---- #13 item 13: one rule for names on every door ----

    @Test
    void job_and_account_names_over_200_characters_or_with_control_characters_are_refused_on_every_door()
            throws IOException {
        String token = JSON.readTree(raw("POST", "/v1/authorization", Map.of("x-api-key", KEY), null).body())
                .get("token").asString();
        Map<String, String> append = Map.of("x-api-key", KEY, "AuthorizationToken", token, "Content-Type", "application/json");

        Answer appendLong = raw("POST", "/v1/async/append/email/job", append, "{\"name\":\"" + "n".repeat(201) + "\"}");
        Answer appendNul = raw("POST", "/v1/async/append/email/job", append, "{\"name\":\"a\\u0000b\"}");
        Answer nativeNul = postJson("/api/v1/jobs", "{\"name\":\"a\\u0000b\",\"operation\":\"verify\"}");
        Answer accountNul = postJson("/api/v1/accounts", "{\"name\":\"a\\u0000b\"}");
        Answer appendFine = raw("POST", "/v1/async/append/email/job", append, "{\"name\":\"" + "n".repeat(200) + "\"}");

        assertThat(appendLong.status()).isEqualTo(400);
        assertThat(appendLong.json().get("message").asString()).contains("200 characters");
        assertThat(appendNul.status()).isEqualTo(400);
        assertProblem(nativeNul, 400, "invalid_request");
        assertProblem(accountNul, 400, "invalid_request");
        assertThat(accountNul.json().get("detail").asString()).contains("control characters");
        assertThat(appendFine.status()).isEqualTo(200);
    }

    // ---- #13 item 22: options checked per operation, JSON bodies bounded ----

    @Test
    void verify_options_are_refused_and_json_bodies_over_the_limit_answer_413_before_parsing() throws IOException {
        Answer options = postJson("/api/v1/jobs", "{\"name\":\"v\",\"operation\":\"verify\",\"options\":{\"x\":1}}");
        String big = "{\"name\":\"v\",\"operation\":\"verify\",\"pad\":\"" + "p".repeat(1_100_000) + "\"}";
        Answer sized = postJson("/api/v1/jobs", big);
        Answer chunked = raw("POST", "/api/v1/jobs", Map.of("X-Api-Key", KEY, "Content-Type", "application/json",
                "Transfer-Encoding", "chunked"), null, Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n");
        String token = JSON.readTree(raw("POST", "/v1/authorization", Map.of("x-api-key", KEY), null).body())
                .get("token").asString();
        Answer append = raw("POST", "/v1/async/append/email/job",
                Map.of("x-api-key", KEY, "AuthorizationToken", token, "Content-Type", "application/json"), big);

        Answer importPad = postJson("/api/v1/jobs", "{\"name\":\"i\",\"operation\":\"import\",\"options\":"
                + "{\"dataset\":\"d\",\"pad\":\"" + "p".repeat(70_000) + "\"}}");
        Answer importUnknown = postJson("/api/v1/jobs", "{\"name\":\"i\",\"operation\":\"import\",\"options\":"
                + "{\"dataset\":\"d\",\"pad\":1}}");

        assertProblem(options, 400, "invalid_request");
        assertThat(options.json().get("detail").asString()).contains("unknown verify option 'x'");
        assertProblem(importPad, 400, "invalid_request");
        assertThat(importPad.json().get("detail").asString()).contains("at most 65536");
        assertProblem(importUnknown, 400, "invalid_request");
        assertThat(importUnknown.json().get("detail").asString()).contains("unknown import option 'pad'");
        assertProblem(sized, 413, "payload_too_large");
        assertProblem(chunked, 413, "payload_too_large");
        assertThat(append.status()).isEqualTo(413);
        assertThat(append.json().get("message").asString()).contains("sluice.request.max-json-size");
        assertThat(JSON.readTree(get("/api/v1/jobs", KEY).body()).get("items")).isEmpty();
    }

    // ---- #14 item 11: content negotiation ----

    @Test
    void a_wildcard_content_type_answers_415_on_every_door() throws IOException {
        Map<String, String> wildcard = Map.of("X-Api-Key", KEY, "Content-Type", "*/*");

        assertProblem(raw("POST", "/api/v1/jobs", wildcard, "{}"), 415, "unsupported_media_type");
        assertProblem(raw("POST", "/api/v1/accounts", wildcard, "{}"), 415, "unsupported_media_type");
        Answer emailBatch = raw("POST", "/email/batch?lqtkey=x", Map.of("Content-Type", "*/*"), "x");
        assertThat(emailBatch.status()).isEqualTo(415);
        assertThat(emailBatch.json().get("Status").asString()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        Answer append = raw("POST", "/v1/async/append/email/job", Map.of("Content-Type", "*/*"), "{}");
        assertThat(append.status()).isEqualTo(415);
        assertThat(append.json().has("message")).isTrue();
    }

    @Test
    void a_non_json_accept_answers_406_on_the_native_api_and_is_ignored_by_the_front_doors() throws IOException {
        Answer nativeApi = raw("GET", "/api/v1/jobs", Map.of("X-Api-Key", KEY, "Accept", "text/csv"), null);
        Answer emailBatch = raw("GET", "/email/batch?lqtkey=" + KEY, Map.of("Accept", "text/csv"), null);
        Answer export = raw("GET", "/bulk-async/exports/none", Map.of("x-api-key", KEY, "Accept", "text/csv"), null);

        assertProblem(nativeApi, 406, "not_acceptable");
        assertThat(emailBatch.status()).isEqualTo(200);
        assertThat(emailBatch.header("Content-Type")).startsWith("application/json");
        assertThat(emailBatch.json().get("Status").asString()).isEqualTo("OK");
        assertThat(export.status()).isEqualTo(404);
        assertThat(export.json().get("error").asString()).isEqualTo("not_found");

        Answer authorization = raw("POST", "/v1/authorization", Map.of("x-api-key", KEY, "Accept", "text/csv"), null);
        String token = authorization.json().get("token").asString();
        Answer append = raw("POST", "/v1/async/append/email/job", Map.of("x-api-key", KEY, "AuthorizationToken", token,
                "Content-Type", "application/json", "Accept", "text/plain"), "{\"name\":\"accepts\"}");
        assertThat(authorization.status()).isEqualTo(200);
        assertThat(append.status()).isEqualTo(200);
        assertThat(append.header("Content-Type")).startsWith("application/json");
        assertThat(append.json().get("job_id").asString()).startsWith("job_");
    }

    // ---- #14 item 7: security headers ----

    @Test
    void console_api_and_errors_carry_the_security_headers() throws IOException {
        for (Answer answer : new Answer[]{get("/", null), get("/console/app.js", null), get("/api/v1/jobs", KEY),
                get("/api/v1/jobs", null), get("/api/v1/no-such", KEY)}) {
            assertThat(answer.header("Content-Security-Policy")).contains("default-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
    }

    @Test
    void public_metrics_do_not_show_the_install_path() throws IOException {
        Answer metrics = get("/actuator/prometheus", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("disk_free_bytes").doesNotContain(dataDir.toString())
                .doesNotContain("path=\"");
    }
}
