package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.testing.TestSocks5Server;
import dev.sluice.server.job.RetentionPurge;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.OwnServers;
import dev.sluice.server.support.TestClock;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import dev.sluice.server.support.Tenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
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
import tools.jackson.databind.JsonNode;

/**
 * SMTP transcripts of verify jobs ({@code "transcripts": true}) end to end, on each {@link TestDatabase}: a DNS
 * responder and an SMTP server on loopback, every connection through a SOCKS5 proxy with a password. The
 * transcript of an address, one served from the cache, 404 without the option or for another account, 400
 * without {@code email}, and the rows gone after the retention purge and after the job is deleted. Every test
 * makes its own job and uses addresses of its own, so no verdict cached by one test serves another; the
 * retention test moves time on a server of its own.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class TranscriptsContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_transcript_tests";
    static final String DOMAIN = "mailboxes.example.net";
    static final String PROXY_PASSWORD = "tr4nscript-e2e-s3cret";

    static final DnsResponder dns = DnsResponder.start();
    static final TestSmtpServer mailboxes = TestSmtpServer.start(TestSmtpServer.loopback(2), 0,
            Behavior.onlyMailboxes("ann@" + DOMAIN, "cal@" + DOMAIN, "ret@" + DOMAIN, "del@" + DOMAIN,
                    "own@" + DOMAIN, "off@" + DOMAIN, "bad@" + DOMAIN));
    static final String CATCH_ALL = "catchall.example.net";
    static final TestSmtpServer catchAll = mailboxes.startSibling(TestSmtpServer.loopback(3), Behavior.acceptAll());
    static final TestSocks5Server proxy = TestSocks5Server.start("sluice", PROXY_PASSWORD);

    static {
        dns.mx(DOMAIN, 10, "mx." + DOMAIN).a("mx." + DOMAIN, "127.0.0.2")
                .mx(CATCH_ALL, 10, "mx." + CATCH_ALL).a("mx." + CATCH_ALL, "127.0.0.3");
    }

    static TestServer server;

    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RetentionPurge purge;

    Http http;

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.verify.dns.enabled", "true"),
                Map.entry("sluice.verify.dns.servers", "127.0.0.1:" + dns.address().getPort()),
                Map.entry("sluice.verify.preflight.enabled", "false"),
                Map.entry("sluice.verify.dns.timeout", "700ms"),
                Map.entry("sluice.verify.smtp.port", String.valueOf(mailboxes.port())),
                Map.entry("sluice.verify.smtp.connect-timeout", "500ms"),
                Map.entry("sluice.verify.smtp.read-timeout", "2s"),
                Map.entry("sluice.verify.smtp.retry-attempts", "1"),
                Map.entry("sluice.verify.smtp.rcpt-per-second-per-domain", "0"),
                Map.entry("sluice.verify.smtp.allow", "127.0.0.2,127.0.0.3"),
                Map.entry("sluice.verify.smtp.proxy",
                        "socks5://sluice:" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port()));
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    @AfterAll
    static void stop_peers() {
        proxy.close();
        catchAll.close();
        mailboxes.close();
        dns.close();
    }

    /** Servers a test started for itself, closed after it. */
    @RegisterExtension
    final OwnServers own = new OwnServers();

    @BeforeEach
    void client() {
        use(server);
    }

    private void use(TestServer target) {
        target.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void a_job_with_transcripts_answers_the_smtp_conversation_behind_an_address() {
        // given a job keeping transcripts verified a valid address, an unknown mailbox and a bad one
        String ann = "ann@" + DOMAIN;
        String nobody = "nobody@" + DOMAIN;
        Verified job = verify(ADMIN_KEY, true, ann, nobody, "not an address");

        // when
        Http.Response response = transcript(job, ADMIN_KEY, ann);

        // then the conversation through the proxy: EHLO, MAIL FROM, the catch-all probe, its RCPT TO, replies
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode transcript = response.json();
        assertThat(transcript.get("email").asString()).isEqualTo(ann);
        assertThat(transcript.get("status").asString()).isEqualTo("valid");
        assertThat(transcript.get("reason").asString()).isEqualTo("accepted");
        assertThat(transcript.get("source").asString()).isEqualTo("smtp");
        JsonNode connection = transcript.get("connections").get(0);
        assertThat(transcript.get("connections")).hasSize(1);
        assertThat(connection.get("mx_host").asString()).isEqualTo("mx." + DOMAIN);
        assertThat(connection.get("mx_address").asString()).isEqualTo("127.0.0.2");
        assertThat(connection.get("proxy").asString()).isEqualTo("127.0.0.1:" + proxy.port());
        assertThat(connection.get("other_recipients").asInt()).isEqualTo(1);
        List<String> sent = lines(transcript, "sent");
        assertThat(sent).hasSize(5);
        assertThat(sent.get(0)).startsWith("EHLO ");
        assertThat(sent.get(1)).startsWith("MAIL FROM:<");
        assertThat(sent.get(2)).startsWith("RCPT TO:<sluice-probe-").endsWith("@" + DOMAIN + ">");
        assertThat(sent.subList(3, 5)).containsExactly("RCPT TO:<" + ann + ">", "QUIT");
        List<String> received = lines(transcript, "received");
        assertThat(received.getFirst()).startsWith("220");
        assertThat(received).anyMatch(line -> line.startsWith("250")).anyMatch(line -> line.startsWith("550"))
                .anyMatch(line -> line.startsWith("221"));
        List<Long> times = new ArrayList<>();
        transcript.get("lines").forEach(line -> {
            assertThat(line.get("connection").asInt()).isEqualTo(1);
            times.add(line.get("at_ms").asLong());
        });
        assertThat(times).isSorted().allMatch(ms -> ms >= 0);

        // and the unknown mailbox's own RCPT TO and 550, without the valid address's
        JsonNode other = transcript(job, ADMIN_KEY, nobody).json();
        assertThat(other.get("status").asString()).isEqualTo("invalid");
        assertThat(other.get("reason").asString()).isEqualTo("mailbox_not_found");
        assertThat(lines(other, "sent")).contains("RCPT TO:<" + nobody + ">").doesNotContain("RCPT TO:<" + ann + ">");

        // and an address no mail server was asked about says so
        JsonNode syntax = transcript(job, ADMIN_KEY, "not an address").json();
        assertThat(syntax.get("source").asString()).isEqualTo("none");
        assertThat(syntax.get("status").asString()).isEqualTo("invalid");
        assertThat(syntax.get("lines")).isEmpty();
    }

    @Test
    void a_proxy_password_appears_in_no_transcript_answer_or_stored_row() {
        // given a job verified through the proxy, which knows the password
        Verified job = verify(ADMIN_KEY, true, "off@" + DOMAIN, "gone@" + DOMAIN);

        // when
        String answer = transcript(job, ADMIN_KEY, "off@" + DOMAIN).text()
                + transcript(job, ADMIN_KEY, "gone@" + DOMAIN).text();

        // then
        assertThat(proxy.connects()).isPositive();
        assertThat(answer).contains("RCPT TO:<off@" + DOMAIN + ">").doesNotContain(PROXY_PASSWORD);
        List<String> stored = jdbc.sql("""
                SELECT mx_host || mx_address || COALESCE(proxy, '') || COALESCE(failure, '') || lines
                FROM smtp_conversations WHERE batch_id = :batch_id""")
                .param("batch_id", job.batchId()).query(String.class).list();
        assertThat(stored).isNotEmpty().noneMatch(text -> text.contains(PROXY_PASSWORD))
                .noneMatch(text -> text.contains("sluice:"));
    }

    @Test
    void a_verdict_served_from_the_cache_answers_a_transcript_that_says_so() {
        // given the address was verified by an earlier job of the account
        String cal = "cal@" + DOMAIN;
        verify(ADMIN_KEY, true, cal);

        // when a second job verifies it again
        Verified again = verify(ADMIN_KEY, true, cal);
        JsonNode transcript = transcript(again, ADMIN_KEY, cal).json();

        // then its verdict came from the cache, without a conversation
        assertThat(transcript.get("status").asString()).isEqualTo("valid");
        assertThat(transcript.get("source").asString()).isEqualTo("cache");
        assertThat(transcript.get("note").asString()).contains("served from the cache");
        assertThat(transcript.get("connections")).isEmpty();
        assertThat(transcript.get("lines")).isEmpty();
    }

    @Test
    void an_address_of_a_domain_the_cache_knows_to_accept_all_answers_a_transcript_from_the_cache() {
        // given an earlier job found the domain catch-all (its probe was accepted)
        Verified first = verify(ADMIN_KEY, true, "one@" + CATCH_ALL);
        JsonNode probed = transcript(first, ADMIN_KEY, "one@" + CATCH_ALL).json();
        assertThat(probed.get("status").asString()).isEqualTo("accept_all");
        assertThat(probed.get("source").asString()).isEqualTo("smtp");
        assertThat(lines(probed, "sent")).anyMatch(line -> line.startsWith("RCPT TO:<sluice-probe-"));
        int connections = catchAll.connections();

        // when another address of the domain is verified
        Verified second = verify(ADMIN_KEY, true, "two@" + CATCH_ALL);
        JsonNode transcript = transcript(second, ADMIN_KEY, "two@" + CATCH_ALL).json();

        // then no server was asked, and the transcript says the answer came from the cache
        assertThat(catchAll.connections()).isEqualTo(connections);
        assertThat(transcript.get("status").asString()).isEqualTo("accept_all");
        assertThat(transcript.get("source").asString()).isEqualTo("cache");
        assertThat(transcript.get("lines")).isEmpty();
    }

    @Test
    void a_job_without_the_transcripts_option_answers_404_and_keeps_none() {
        // given
        Verified job = verify(ADMIN_KEY, false, "bad@" + DOMAIN);

        // when
        Http.Response response = transcript(job, ADMIN_KEY, "bad@" + DOMAIN);

        // then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asString()).contains("keeps no transcripts");
        assertThat(rows(job)).isZero();
    }

    @Test
    void another_account_gets_404_and_the_owner_gets_400_without_email_and_404_for_an_address_not_in_the_batch() {
        // given
        Verified job = verify(ADMIN_KEY, true, "own@" + DOMAIN);
        String otherKey = Tenant.create(http, ADMIN_KEY, "someone else").key();

        // when
        Http.Response foreign = transcript(job, otherKey, "own@" + DOMAIN);
        Http.Response missing = http.get(path(job), ADMIN_KEY);
        Http.Response blank = http.get(path(job) + "?email=%20", ADMIN_KEY);
        Http.Response absent = transcript(job, ADMIN_KEY, "stranger@" + DOMAIN);

        // then
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.text()).doesNotContain("own@");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asString()).contains("'email'");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(absent.status()).isEqualTo(404);
        assertThat(transcript(job, ADMIN_KEY, "OWN@MAILBOXES.example.net").status()).isEqualTo(200);
    }

    @Test
    void the_retention_purge_deletes_the_transcripts_of_an_expired_batch() throws Exception {
        // given a job keeping results for an hour, on a server whose clock this test moves
        TestClock clock = new TestClock();
        use(own.start(database, clock, properties()));
        Verified job = verify(ADMIN_KEY, true, "ret@" + DOMAIN);
        assertThat(transcript(job, ADMIN_KEY, "ret@" + DOMAIN).status()).isEqualTo(200);
        assertThat(rows(job)).isPositive();

        // when its retention passes and the purge runs
        clock.advance(Duration.ofHours(2));
        purge.purgeExpired();

        // then
        assertThat(rows(job)).isZero();
        assertThat(transcript(job, ADMIN_KEY, "ret@" + DOMAIN).status()).isEqualTo(410);
    }

    @Test
    void deleting_the_job_deletes_its_transcripts() {
        // given
        Verified job = verify(ADMIN_KEY, true, "del@" + DOMAIN);
        assertThat(rows(job)).isPositive();

        // when
        assertThat(http.delete("/api/v1/jobs/" + job.jobId(), ADMIN_KEY).status()).isIn(200, 202, 204);

        // then
        assertThat(rows(job)).isZero();
        assertThat(transcript(job, ADMIN_KEY, "del@" + DOMAIN).status()).isEqualTo(404);
    }

    @Test
    void a_transcripts_option_that_is_not_a_boolean_is_refused_at_creation() {
        // when
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"bad\",\"operation\":\"verify\",\"options\":{\"transcripts\":\"yes\"}}");

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("transcripts");
    }

    @Test
    void the_openapi_document_describes_the_transcripts_endpoint_and_its_email_parameter() {
        // when
        JsonNode paths = http.get("/api/v1/openapi.json", null).json().get("paths");

        // then
        JsonNode get = paths.get("/api/v1/jobs/{jobId}/batches/{batchId}/transcripts").get("get");
        assertThat(get.get("summary").asString()).contains("SMTP transcript");
        List<String> parameters = new ArrayList<>();
        get.get("parameters").forEach(parameter -> parameters.add(parameter.get("name").asString()));
        assertThat(parameters).contains("email");
        assertThat(get.get("responses").has("404")).isTrue();
        assertThat(http.get("/api/v1/openapi.json", null).text()).contains("transcripts (boolean, default false");
    }

    /** A verify job's one completed batch. */
    record Verified(String jobId, String batchId) {
    }

    /** Runs a verify job (retention one hour) over {@code addresses}, with or without transcripts. */
    private Verified verify(String key, boolean transcripts, String... addresses) {
        StringBuilder csv = new StringBuilder("email\n");
        for (String address : addresses) {
            csv.append('"').append(address).append("\"\n");
        }
        Http.Response job = http.postJson("/api/v1/jobs", key, "{\"name\":\"transcripts\",\"operation\":\"verify\","
                + "\"retention_hours\":1,\"options\":{\"transcripts\":" + transcripts + "}}");
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        String jobId = job.json().get("id").asString();
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "list.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8));
        String batchId = created.json().get("id").asString();
        JsonNode batch = Batches.awaitFinal(http, key, jobId, batchId, Duration.ofSeconds(60));
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        return new Verified(jobId, batchId);
    }

    private Http.Response transcript(Verified job, String key, String email) {
        return http.get(path(job) + "?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8), key);
    }

    private static String path(Verified job) {
        return "/api/v1/jobs/" + job.jobId() + "/batches/" + job.batchId() + "/transcripts";
    }

    private long rows(Verified job) {
        return jdbc.sql("SELECT COUNT(*) FROM smtp_transcripts WHERE batch_id = :batch_id")
                .param("batch_id", job.batchId()).query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM smtp_conversations WHERE batch_id = :batch_id")
                .param("batch_id", job.batchId()).query(Long.class).single();
    }

    private static List<String> lines(JsonNode transcript, String direction) {
        List<String> out = new ArrayList<>();
        transcript.get("lines").forEach(line -> {
            if (line.get("direction").asString().equals(direction)) {
                out.add(line.get("line").asString());
            }
        });
        return out;
    }
}
