package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.support.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Source URIs end to end against real servers on loopback: how a fetch fails (a sentence, {@code fetch_failed},
 * retried only where a retry can help), what the allow list opens (a port, not a host), FTP downloads whose
 * data connection stays on the control connection's address, and refusals that happen before any connection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class SourceFetchTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_source_fetch_tests";
    static final String LIST = "email\nann@example.com\nbob@example.org\n";

    @TempDir
    static Path dataDir;

    static HttpServer files;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    static StallingHttpServer trickle;
    static ServerSocket counting;
    static final AtomicInteger countingAccepts = new AtomicInteger();
    static int closedPort;
    static FtpTestServer ftp;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FetchApi api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        files = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        files.setExecutor(Executors.newCachedThreadPool());
        serve("/list.csv", 200, LIST);
        serve("/metrics", 200, "# HELP sluice_secret_metric a line that must not be quoted back\n"
                + "sluice_secret_metric{node=\"a\"} 1\n");
        serve("/missing.csv", 404, "not here");
        serve("/busy.csv", 503, "try later");
        serve("/hook", 200, "");
        hits.put("/auth.csv", new AtomicInteger());
        files.createContext("/auth.csv", exchange -> {
            hits.get("/auth.csv").incrementAndGet();
            boolean ok = ("Basic " + java.util.Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8)))
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = (ok ? LIST : "denied").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 401, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        files.start();
        trickle = new StallingHttpServer(Duration.ofMillis(200));
        counting = new ServerSocket();
        counting.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Thread.ofPlatform().daemon().start(() -> {
            while (!counting.isClosed()) {
                try (Socket ignored = counting.accept()) {
                    countingAccepts.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = closed.getLocalPort();
        }
        ftp = new FtpTestServer("127.0.0.2").credentials("alice", "s3cret").file("exports/list.csv", LIST);

        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.job.worker-threads", () -> "4");
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.job.max-attempts", () -> "2");
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.enabled", () -> "false");
        // ports of 127.0.0.1 one by one (never the server's own); 127.0.0.2 whole, for the FTP servers
        registry.add("sluice.fetch.allow", () -> "127.0.0.1:" + files.getAddress().getPort() + ",127.0.0.1:"
                + trickle.port() + ",127.0.0.1:" + counting.getLocalPort() + ",127.0.0.1:" + closedPort + ",127.0.0.2");
        registry.add("sluice.fetch.read-timeout", () -> "1s");
        registry.add("sluice.fetch.min-rate", () -> "1KB");
        registry.add("sluice.fetch.timeout", () -> "5s");
        registry.add("sluice.delivery.allow-http", () -> "true");
    }

    private static void serve(String path, int status, String body) {
        hits.put(path, new AtomicInteger());
        files.createContext(path, exchange -> {
            hits.get(path).incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        files.stop(0);
        trickle.close();
        counting.close();
        ftp.close();
    }

    @BeforeEach
    void client() {
        api = new FetchApi(new Http("http://127.0.0.1:" + port), ADMIN_KEY);
    }

    String files(String path) {
        return "http://127.0.0.1:" + files.getAddress().getPort() + path;
    }

    // ---- how fetches fail ----

    @Test
    void a_source_below_the_minimum_rate_fails_fetch_failed_with_a_sentence_after_its_attempts() {
        JsonNode batch = api.finalBatch(api.fetchJob("http://127.0.0.1:" + trickle.port() + "/slow.csv"));

        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("fetch_failed");
        assertThat(batch.get("error").get("message").asString())
                .contains("below the minimum rate", "sluice.fetch.min-rate", "gave up after 2 attempts")
                .doesNotContain("Exception");
    }

    @Test
    void a_refused_connection_is_retried_then_fails_fetch_failed() {
        JsonNode batch = api.finalBatch(api.fetchJob("http://127.0.0.1:" + closedPort + "/list.csv"));

        assertThat(batch.get("error").get("code").asString()).isEqualTo("fetch_failed");
        assertThat(batch.get("error").get("message").asString())
                .isEqualTo("the source at 127.0.0.1:" + closedPort + " refused the connection (gave up after 2 attempts)");
    }

    @Test
    void http_404_fails_at_once_and_503_is_retried() {
        JsonNode missing = api.finalBatch(api.fetchJob(files("/missing.csv")));
        JsonNode busy = api.finalBatch(api.fetchJob(files("/busy.csv")));

        assertThat(missing.get("error").get("code").asString()).isEqualTo("fetch_failed");
        assertThat(missing.get("error").get("message").asString()).contains("answered HTTP 404");
        assertThat(hits.get("/missing.csv").get()).isEqualTo(1);
        assertThat(busy.get("error").get("code").asString()).isEqualTo("fetch_failed");
        assertThat(busy.get("error").get("message").asString()).contains("answered HTTP 503", "gave up after 2 attempts");
        assertThat(hits.get("/busy.csv").get()).isEqualTo(2);
    }

    // ---- what the allow list opens ----

    @Test
    void an_allow_entry_with_a_port_does_not_open_the_servers_own_port() {
        JsonNode batch = api.finalBatch(api.fetchJob("http://127.0.0.1:" + port + "/actuator/prometheus"));

        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("source_not_allowed");
        assertThat(batch.get("error").get("message").asString()).contains("port " + port);
    }

    @Test
    void a_fetched_file_that_is_malformed_is_described_without_quoting_it() {
        JsonNode batch = api.finalBatch(api.fetchJob(files("/metrics")));

        assertThat(batch.get("status").asString()).isEqualTo("malformed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("missing_column");
        assertThat(batch.get("error").get("message").asString()).doesNotContain("sluice_secret_metric", "HELP");
    }

    @Test
    void ipv6_forms_of_an_allowed_loopback_address_are_refused_before_any_connection() {
        int target = counting.getLocalPort();
        JsonNode compatible = api.finalBatch(api.fetchJob("http://[::127.0.0.1]:" + target + "/x.csv"));
        JsonNode nat64 = api.finalBatch(api.fetchJob("http://[64:ff9b::7f00:1]:" + target + "/x.csv"));
        JsonNode sixToFour = api.finalBatch(api.fetchJob("http://[2002:7f00:1::1]:" + target + "/x.csv"));

        assertThat(compatible.get("error").get("code").asString()).isEqualTo("source_not_allowed");
        assertThat(nat64.get("error").get("code").asString()).isEqualTo("source_not_allowed");
        assertThat(sixToFour.get("error").get("code").asString()).isEqualTo("source_not_allowed");
        assertThat(countingAccepts.get()).isZero();
    }

    // ---- passwords in URIs ----

    @Test
    void uri_passwords_are_stored_sealed_used_for_the_fetch_and_shown_masked_everywhere() {
        // given a job whose source and notification URLs carry passwords
        String source = "http://user:s3cret@127.0.0.1:" + files.getAddress().getPort() + "/auth.csv";
        String hook = "http://hook:p4ss@127.0.0.1:" + files.getAddress().getPort() + "/hook";
        String jobId = api.fetchJob(source, hook);

        // when its batch completes
        JsonNode batch = api.finalBatch(jobId);
        FetchApi.await(() -> api.get("/api/v1/jobs/" + jobId + "/deliveries").json().get("items").isEmpty() ? null : true,
                "no delivery recorded");

        // then the fetch authenticated with the real password
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        // and every view shows user:***@
        JsonNode job = api.get("/api/v1/jobs/" + jobId).json();
        assertThat(job.get("options").get("source").get("uri").asString())
                .isEqualTo("http://user:***@127.0.0.1:" + files.getAddress().getPort() + "/auth.csv");
        assertThat(job.get("notification").get("url").asString())
                .isEqualTo("http://hook:***@127.0.0.1:" + files.getAddress().getPort() + "/hook");
        assertThat(batch.get("source_uri").asString()).startsWith("http://user:***@127.0.0.1:");
        JsonNode delivery = api.get("/api/v1/jobs/" + jobId + "/deliveries").json().get("items").get(0);
        assertThat(delivery.get("url").asString()).startsWith("http://hook:***@127.0.0.1:");
        for (String path : List.of("/api/v1/jobs", "/api/v1/jobs/" + jobId, "/api/v1/jobs/" + jobId + "/batches",
                "/api/v1/jobs/" + jobId + "/events", "/api/v1/jobs/" + jobId + "/deliveries")) {
            assertThat(api.get(path).text()).as(path).doesNotContain("s3cret", "p4ss");
        }
        assertThat(api.get("/api/v1/jobs/" + jobId + "/events").text()).contains("user:***@");
        // and the database holds the passwords sealed, never in clear
        List<String> stored = new java.util.ArrayList<>();
        stored.addAll(jdbc.sql("SELECT source_uri FROM batches WHERE job_id = :id").param("id", jobId).query(String.class).list());
        stored.addAll(jdbc.sql("SELECT options_json FROM jobs WHERE id = :id").param("id", jobId).query(String.class).list());
        stored.addAll(jdbc.sql("SELECT notification_url FROM jobs WHERE id = :id").param("id", jobId).query(String.class).list());
        stored.addAll(jdbc.sql("SELECT url FROM deliveries WHERE job_id = :id").param("id", jobId).query(String.class).list());
        stored.addAll(jdbc.sql("SELECT message FROM events WHERE job_id = :id").param("id", jobId).query(String.class).list());
        assertThat(stored).hasSizeGreaterThanOrEqualTo(5).allSatisfy(value -> assertThat(value).doesNotContain("s3cret", "p4ss"));
        assertThat(stored.subList(0, 4)).allSatisfy(value -> assertThat(value).contains(":sealed1."));
    }

    @Test
    void a_notification_url_embedding_loopback_in_ipv6_is_refused_before_any_connection() {
        // given a job notifying an IPv4-compatible form of an allowed loopback port
        int target = counting.getLocalPort();
        String jobId = api.fetchJob(files("/list.csv"), "http://[::127.0.0.1]:" + target + "/hook");

        // when its batch completes
        assertThat(api.finalBatch(jobId).get("status").asString()).isEqualTo("completed");
        JsonNode delivery = FetchApi.await(() -> {
            JsonNode items = api.get("/api/v1/jobs/" + jobId + "/deliveries").json().get("items");
            return !items.isEmpty() && "failed".equals(items.get(0).get("status").asString()) ? items.get(0) : null;
        }, "no failed delivery");

        // then the delivery failed on the guard, and nothing connected
        assertThat(delivery.get("last_error").asString()).contains("sluice.fetch.allow");
        assertThat(countingAccepts.get()).isZero();
    }

    // ---- FTP ----

    @Test
    void an_ftp_source_is_downloaded_with_the_uris_credentials() {
        JsonNode batch = api.finalBatch(api.fetchJob("ftp://alice:s3cret@127.0.0.2:" + ftp.port() + "/exports/list.csv"));

        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        assertThat(batch.get("records").get("total").asLong()).isEqualTo(2);
    }

    @Test
    void an_ftp_file_that_does_not_exist_fails_at_once_with_the_reply_code() {
        int logins = ftp.logins();

        JsonNode batch = api.finalBatch(api.fetchJob("ftp://alice:s3cret@127.0.0.2:" + ftp.port() + "/exports/none.csv"));

        assertThat(batch.get("error").get("code").asString()).isEqualTo("fetch_failed");
        assertThat(batch.get("error").get("message").asString()).contains("answered 550 to RETR")
                .doesNotContain("no such file");
        assertThat(ftp.logins() - logins).isEqualTo(1);
    }

    @Test
    void the_ftp_data_connection_goes_to_the_control_address_whatever_pasv_names() throws IOException {
        // given a bait on 127.0.0.3 (not allowed) and an FTP server on 127.0.0.2 whose PASV names the bait
        AtomicInteger baitAccepts = new AtomicInteger();
        try (ServerSocket bait = new ServerSocket()) {
            bait.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
            Thread.ofPlatform().daemon().start(() -> {
                while (!bait.isClosed()) {
                    try (Socket s = bait.accept(); OutputStream out = s.getOutputStream()) {
                        baitAccepts.incrementAndGet();
                        out.write("email\nstolen@example.net\nleaked@example.net\nmore@example.net\n"
                                .getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (FtpTestServer redirecting = new FtpTestServer("127.0.0.2").file("list.csv", LIST)
                    .refuseEpsv().advertise("127.0.0.3").passivePort(bait.getLocalPort())) {

                // when a job fetches from it
                JsonNode batch = api.finalBatch(api.fetchJob("ftp://127.0.0.2:" + redirecting.port() + "/list.csv"));

                // then the file came from 127.0.0.2 and the bait saw nobody
                assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
                assertThat(batch.get("records").get("total").asLong()).isEqualTo(2);
                assertThat(redirecting.lastPassivePort()).isEqualTo(bait.getLocalPort());
                assertThat(baitAccepts.get()).isZero();
            }
        }
    }
}
