package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Await;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What request bodies may take of the HTTP server, with raw sockets on loopback that send a body slowly,
 * partly or not at all. Limits are small here (a 1 s rate window, a 3 s deadline, two bodies read at once,
 * one upload per account, four request threads) so that every case ends within seconds; a client that gets no answer fails the
 * test after {@link #ANSWER_WITHIN_MS}, which is what happened before the limits existed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqliteRequestBodyLimitsTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_body_limit_tests";
    static final int ANSWER_WITHIN_MS = 8_000;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.enabled", () -> "false");
        registry.add("sluice.ingest.max-file-size", () -> "2MB");
        registry.add("sluice.http.min-body-rate", () -> "1KB");
        registry.add("sluice.http.body-rate-window", () -> "1s");
        registry.add("sluice.http.body-deadline", () -> "3s");
        registry.add("sluice.http.max-body-readers", () -> "2");
        registry.add("sluice.ingest.max-uploads-per-account", () -> "1");
        registry.add("server.tomcat.threads.max", () -> "4");
        registry.add("server.tomcat.threads.min-spare", () -> "1");
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void a_request_without_a_key_is_refused_without_reading_its_body() throws IOException {
        // given a client announcing a 1 MB JSON body and sending only its first byte
        try (Socket socket = open()) {
            send(socket, "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n{");

            // then the answer is 401 and the server closes the connection instead of waiting for the rest
            String answer = readToEnd(socket);
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close")
                    .contains("\"code\":\"unauthorized\"");
        }
    }

    @Test
    void multipart_bodies_to_unknown_paths_or_without_a_key_are_never_parsed() throws IOException {
        for (String target : List.of("/no/such/path", "/api/v1/jobs/job_x/batch-files", "/email/batch?lqtkey=wrong")) {
            // given a multipart upload announcing 1.5 MB that sends its first part's headers and stops
            try (Socket socket = open()) {
                send(socket, "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: 1500000\r\n\r\n"
                        + "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\nemail\n");

                // then the refusal comes at once and the connection closes: nothing waited for the parts
                String answer = readToEnd(socket);
                assertThat(answer).as(target).matches("(?s)HTTP/1\\.1 (401|404) .*")
                        .containsIgnoringCase("connection: close");
            }
        }
    }

    @Test
    void an_upload_slower_than_the_minimum_rate_is_cut_with_408_and_its_link_still_works() throws Exception {
        // given an upload link
        String url = uploadUrl();
        URI uri = URI.create(url);

        // when a client sends its file a byte every 100 ms (10 bytes/s, the minimum is 1 KB/s)
        String answer;
        try (Socket socket = open()) {
            send(socket, "PUT " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\n");
            answer = trickle(socket, 100);
        }

        // then it is cut with 408 after the rate window, and the batch still takes a proper upload
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"")
                .contains("below the minimum of 1024 bytes/s");
        Http.Response put = http.put(url, "email\nann@example.net\n".getBytes(StandardCharsets.UTF_8));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    @Test
    void an_upload_that_stops_sending_is_cut_after_the_rate_window() throws Exception {
        // given an upload that sends half its file and then nothing
        URI uri = URI.create(uploadUrl());
        try (Socket socket = open()) {
            send(socket, "PUT " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 40\r\n\r\nemail\nann@example.net\n");

            // then the server answers 408 and closes
            assertThat(readToEnd(socket)).startsWith("HTTP/1.1 408").contains("no byte of the request body arrived");
        }
    }

    @Test
    void an_upload_fast_enough_but_never_ending_is_cut_at_the_deadline() throws Exception {
        // given an upload of 100 MB announced and sent at about 20 KB/s, above the minimum rate
        URI uri = URI.create(uploadUrl());
        String answer;
        try (Socket socket = open()) {
            send(socket, "PUT " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 1500000\r\n\r\nemail\n");
            answer = stream(socket, 2_000, 100);
        }

        // then the 3 s deadline ends it
        assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 3 s");
    }

    @Test
    void a_body_larger_than_any_batch_takes_is_refused_by_its_length_before_reading() throws IOException {
        try (Socket socket = open()) {
            send(socket, "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + ADMIN_KEY + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 60000000\r\n\r\n{");

            assertThat(readToEnd(socket)).startsWith("HTTP/1.1 413").contains("\"code\":\"payload_too_large\"")
                    .containsIgnoringCase("connection: close");
        }
    }

    // first: the slow bodies other tests send may still hold a reader or a request thread for a moment after they
    // end, and then one of these uploads would not be read (the server answered the third body instead)
    @Test
    @Order(1)
    void bodies_beyond_the_readers_limit_answer_503_unread_while_probes_and_the_api_answer() throws Exception {
        // given two uploads being read slowly (above the minimum rate), as many as this node reads at once, once
        // the uploads of earlier tests have given their places back; both links first, so that the second
        // tenant's set-up does not come between the first upload and the bytes that keep it above the rate
        awaitReadersFree();
        List<URI> links = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            links.add(URI.create(uploadUrl(Tenant.create(http, ADMIN_KEY, "uploader").key())));
        }
        List<Socket> slow = new CopyOnWriteArrayList<>();
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        AtomicReference<IOException> feedFailed = new AtomicReference<>();
        try {
            // 2,800 bytes/s to each upload, from its first byte until the end, however long a request below takes
            feeder.scheduleAtFixedRate(() -> {
                for (Socket socket : slow) {
                    try {
                        send(socket, "a@example.net\n".repeat(20));
                    } catch (IOException e) {
                        feedFailed.compareAndSet(null, e);
                    }
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            for (URI uri : links) {
                slow.add(startUpload(uri));
            }

            // when a third body comes (until the node has begun reading both uploads: a body it reads instead is
            // answered 400, and the next one tries again)
            String third = "";
            for (int attempt = 0; attempt < 40 && !third.startsWith("HTTP/1.1 503"); attempt++) {
                try (Socket socket = open()) {
                    send(socket, "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + ADMIN_KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                    third = readToEnd(socket);
                }
                if (!third.startsWith("HTTP/1.1 503")) {
                    Thread.sleep(20);
                }
            }

            // then it is refused unread, and requests without a body still answer on the four threads
            if (!third.startsWith("HTTP/1.1 503")) {
                StringBuilder uploads = new StringBuilder();
                for (Socket socket : slow) {
                    uploads.append("\n--- upload on port ").append(socket.getLocalPort()).append(": ").append(peek(socket));
                }
                assertThat(third).as("the uploads got: " + uploads + "\nfeed failure: " + feedFailed.get())
                        .startsWith("HTTP/1.1 503");
            }
            assertThat(third).startsWith("HTTP/1.1 503").contains("\"code\":\"server_busy\"");
            assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/jobs", ADMIN_KEY).status()).isEqualTo(200);
            assertThat(feedFailed.get()).as("the slow uploads stayed open while fed").isNull();
        } finally {
            feeder.shutdownNow();
            feeder.awaitTermination(5, TimeUnit.SECONDS);
            for (Socket socket : slow) {
                socket.close();
            }
        }
        // the closed uploads give their places back (so the other tests find them free)
        awaitReadersFree();
    }

    /** Waits until a body is read again: uploads other tests closed have given their places back. */
    private void awaitReadersFree() {
        Await.until("a body read again once the closed uploads gave their places back", () -> {
            try (Socket socket = open()) {
                send(socket, "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n{}");
                return readToEnd(socket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, answer -> answer.startsWith("HTTP/1.1 401"));
    }

    @Test
    void an_account_uploading_as_many_files_as_it_may_gets_429_for_one_more_while_others_upload()
            throws Exception {
        // given an account whose one upload is being read slowly
        String key = Tenant.create(http, ADMIN_KEY, "uploader").key();
        URI first = URI.create(uploadUrl(key));
        try (Socket slow = open()) {
            send(slow, "PUT " + first.getRawPath() + "?" + first.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nemail\n");

            // when it starts another upload, by link and multipart, and another account uploads too
            byte[] file = "email\nann@example.net\n".getBytes(StandardCharsets.UTF_8);
            Http.Response second = null;
            for (int attempt = 0; attempt < 100 && (second == null || second.status() != 429); attempt++) {
                send(slow, "a@example.net\n".repeat(100));
                second = http.put(uploadUrl(key), file);
            }
            String jobId = createJob(key);
            Http.Response multipart = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "a.csv", file);
            Http.Response other = http.put(uploadUrl(Tenant.create(http, ADMIN_KEY, "uploader").key()), file);

            // then the account's second and third are refused, the other account's goes through
            assertThat(second.status()).as(second.text()).isEqualTo(429);
            assertThat(second.json().get("code").asString()).isEqualTo("too_many_uploads");
            assertThat(multipart.status()).as(multipart.text()).isEqualTo(429);
            assertThat(other.status()).as(other.text()).isEqualTo(200);
        }
    }

    // ---- helpers ----

    private String uploadUrl() {
        return uploadUrl(ADMIN_KEY);
    }

    private String uploadUrl(String key) {
        JsonNode batchFile = http.postJson("/api/v1/jobs/" + createJob(key) + "/batch-files", key, "{}").json();
        return batchFile.get("upload_url").asString();
    }

    private String createJob(String key) {
        Http.Response job = http.postJson("/api/v1/jobs", key,
                "{\"name\":\"slow\",\"operation\":\"verify\",\"output_format\":\"csv\"}");
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        return job.json().get("id").asString();
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(ANSWER_WITHIN_MS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Starts an upload to {@code uri} that the node reads: a request that ended just before may hold its reader
     * for a moment after its answer came, and then this one is answered 503 at once; it is started again.
     */
    private Socket startUpload(URI uri) throws Exception {
        for (int attempt = 0; ; attempt++) {
            Socket socket = open();
            send(socket, "PUT " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nemail\n");
            String answer = peek(socket);
            if (answer.startsWith("(java.net.SocketTimeoutException")) {
                socket.setSoTimeout(ANSWER_WITHIN_MS);
                return socket;
            }
            socket.close();
            assertThat(attempt).as("an upload the node reads; its last answer: " + answer).isLessThan(20);
            Thread.sleep(50);
        }
    }

    /** What the server sent on {@code socket} so far, waiting at most 200 ms (diagnostics). */
    private static String peek(Socket socket) {
        try {
            socket.setSoTimeout(200);
            byte[] buffer = new byte[4096];
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "(closed by the server)" : new String(buffer, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Everything the server sends until it closes; fails when it neither answers nor closes in time. */
    private static String readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within " + ANSWER_WITHIN_MS + " ms; got so far: "
                    + answer.toString(StandardCharsets.UTF_8), e);
        } catch (IOException reset) {
            // the server closed while bytes were still on their way: what came before the reset is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** Sends one byte every {@code everyMs} until the server answers; returns the answer. */
    private static String trickle(Socket socket, int everyMs) throws Exception {
        return stream(socket, 1, everyMs);
    }

    /** Sends {@code bytes} every {@code everyMs} until the server answers (at most 40 rounds); returns the answer. */
    private static String stream(Socket socket, int bytes, int everyMs) throws Exception {
        byte[] chunk = "x".repeat(bytes).getBytes(StandardCharsets.US_ASCII);
        InputStream in = socket.getInputStream();
        for (int round = 0; round < 40 && in.available() == 0; round++) {
            try {
                socket.getOutputStream().write(chunk);
                socket.getOutputStream().flush();
            } catch (IOException closed) {
                break;
            }
            Thread.sleep(everyMs);
        }
        return readToEnd(socket);
    }
}
