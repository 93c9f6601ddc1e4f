package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Greylisting the long way ({@code sluice.verify.smtp.retry-after}), end to end on every store: mail servers on
 * loopback that answer 451 to the first attempts of each recipient (then accept), or to every attempt. An
 * address answered 4xx is put aside: the batch stays {@code in_progress} with it counted as {@code deferred}
 * and shows {@code next_retry_at}; a scheduled task asks again after each delay; the result has every row
 * once, in input order, with the later answer. A restart during the wait loses nothing, and a cancel drops
 * what waits.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class GreylistRetryTest {

    static final String KEY = "sk_test_greylist_retry";

    static final DnsResponder dns = DnsResponder.start();
    /** Accepts its known mailboxes at once. */
    static final TestSmtpServer mailboxes;
    /** Answers 451 to the first two attempts of each recipient, then accepts known mailboxes. */
    static final TestSmtpServer grey;
    /** Answers 451 to every attempt. */
    static final TestSmtpServer forever;

    static {
        mailboxes = TestSmtpServer.start(TestSmtpServer.loopback(21), 0, Behavior.onlyMailboxes(
                "ann@ok.example.net"));
        grey = mailboxes.startSibling(TestSmtpServer.loopback(22), Behavior.onlyMailboxes(
                "sqlite-bob@grey.example.net", "postgresql-bob@grey.example.net",
                "sqlite-cy@grey.example.net", "postgresql-cy@grey.example.net",
                "sqlite-restart@grey.example.net", "postgresql-restart@grey.example.net",
                "sqlite-dan@grey.example.net", "postgresql-dan@grey.example.net",
                "sqlite-fred@grey.example.net", "postgresql-fred@grey.example.net").greylisting(2));
        forever = mailboxes.startSibling(TestSmtpServer.loopback(23), Behavior.acceptAll().greylisting(1000));
        dns.mx("ok.example.net", 10, "mx.ok.example.net").a("mx.ok.example.net", "127.0.0.21")
                .mx("grey.example.net", 10, "mx.grey.example.net").a("mx.grey.example.net", "127.0.0.22")
                .mx("forever.example.net", 10, "mx.forever.example.net").a("mx.forever.example.net", "127.0.0.23");
    }

    static TestServer server;

    @Parameter
    TestDatabase database;

    static Map<String, String> properties(String retryAfter) {
        return Map.of(
                "SLUICE_BOOTSTRAP_API_KEY", KEY,
                "sluice.job.poll-interval", "100ms",
                "sluice.job.chunk-size", "2",
                "sluice.verify.dns.servers", "127.0.0.1:" + dns.address().getPort(),
                "sluice.verify.preflight.enabled", "false",
                "sluice.verify.smtp.port", String.valueOf(mailboxes.port()),
                "sluice.verify.smtp.allow", "127.0.0.21,127.0.0.22,127.0.0.23",
                "sluice.verify.smtp.rcpt-per-second-per-domain", "0",
                // no second try within the conversation: every later attempt is a scheduled one
                "sluice.verify.smtp.retry-attempts", "1",
                "sluice.verify.smtp.retry-after", retryAfter);
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, properties("1s,2s"));
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    @AfterAll
    static void stop_peers() throws Exception {
        for (AutoCloseable peer : List.<AutoCloseable>of(forever, grey, mailboxes, dns)) {
            peer.close();
        }
    }

    @Test
    void greylisted_addresses_wait_deferred_then_get_the_later_answer_in_their_own_rows() {
        // given a file over three chunks: two greylisted-then-accepted addresses, one greylisted forever
        String bob = address("bob@grey.example.net");
        String cy = address("cy@grey.example.net");
        String eve = address("eve@forever.example.net");
        List<String> emails = List.of("ann@ok.example.net", bob, "nobody@ok.example.net", eve, cy,
                "ann@ok.example.net");
        Http http = server.http();

        // when it is verified
        Job job = submit(http, emails);

        // then while the answers wait, the batch is in progress with them deferred and a retry due
        JsonNode waiting = Await.until("records deferred", () -> Batches.get(http, KEY, job.id, job.batch),
                b -> b.get("records").get("deferred").asLong() > 0);
        assertThat(waiting.get("status").asString()).isEqualTo("in_progress");
        assertThat(Instant.parse(waiting.get("next_retry_at").asString())).isNotNull();
        JsonNode records = waiting.get("records");
        assertThat(records.get("processed").asLong() + records.get("deferred").asLong()).isLessThanOrEqualTo(6);
        JsonNode jobWaiting = http.get("/api/v1/jobs/" + job.id, KEY).json();
        assertThat(jobWaiting.get("records").get("deferred").asLong()).isPositive();

        // and at the end every row is there once, in input order, with the later answer
        JsonNode done = Batches.awaitFinal(http, KEY, job.id, job.batch);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        List<List<String>> rows = result(http, job);
        assertThat(rows).extracting(row -> row.get(0)).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(rows).extracting(row -> row.get(2)).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(rows).extracting(row -> row.get(3) + "/" + row.get(4)).containsExactly(
                "valid/accepted", "valid/accepted", "invalid/mailbox_not_found", "unknown/greylisted",
                "valid/accepted", "valid/accepted");
        // the greylisting server was asked three times (the chunk, then two later attempts); eve once per delay
        assertThat(grey.attempts(bob)).isEqualTo(3);
        assertThat(forever.attempts(eve)).isEqualTo(3);

        // and the counters add up, nothing left deferred, no retry due
        records = done.get("records");
        assertThat(records.get("processed").asLong()).isEqualTo(6);
        assertThat(records.get("deferred").asLong()).isZero();
        assertThat(records.get("valid").asLong()).isEqualTo(4);
        assertThat(records.get("invalid").asLong()).isEqualTo(1);
        assertThat(records.get("unknown").asLong()).isEqualTo(1);
        assertThat(done.get("next_retry_at").isNull()).isTrue();
        JsonNode jobDone = http.get("/api/v1/jobs/" + job.id, KEY).json().get("records");
        assertThat(jobDone.get("processed").asLong()).isEqualTo(6);
        assertThat(jobDone.get("deferred").asLong()).isZero();
        assertThat(deferredRows(server, job.batch)).isZero();
    }

    @Test
    void a_greylisted_address_in_the_first_of_many_chunks_is_asked_by_its_chunk_once() {
        // given a greylisted-forever address in the first of 30 chunks: were chunks verified while the file loads,
        // the first would be, meet the 451 and be declined, and its task would ask the address again at once
        String gus = address("gus@forever.example.net");
        List<String> emails = new ArrayList<>(List.of(gus));
        for (int i = 1; i < 60; i++) {
            emails.add(address("nobody" + i + "@ok.example.net"));
        }
        Http http = server.http();

        // when it is verified
        Job job = submit(http, emails);
        JsonNode done = Batches.awaitFinal(http, KEY, job.id, job.batch);

        // then the address was asked by its chunk, then once per later attempt, and ends greylisted
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(forever.attempts(gus)).isEqualTo(3);
        assertThat(result(http, job).get(0).subList(3, 5)).containsExactly("unknown", "greylisted");
        assertThat(done.get("records").get("invalid").asLong()).isEqualTo(59);
    }

    @Test
    void copies_of_a_greylisted_address_end_with_its_later_answer_asked_once() {
        // given a file over three chunks where a greylisted-then-accepted address appears three times: its first
        // copy, a copy in the same chunk (spaces, domain case) and one in a later chunk (domain case)
        String fred = address("fred@grey.example.net");
        String sameChunk = " " + fred.replace("grey.example.net", "GREY.example.net") + " ";
        String laterChunk = fred.replace("grey.example.net", "Grey.Example.NET");
        List<String> emails = List.of(fred, sameChunk, "ann@ok.example.net", "nobody@ok.example.net", laterChunk);
        Http http = server.http();

        // when it is verified
        Job job = submit(http, emails);

        // then while the first copy waits, its copy in the same chunk waits deferred with it; the later chunk's copy
        // is processed with its chunk and takes the final verdict at assembly, counted in no status till then
        JsonNode waiting = Await.until("records deferred", () -> Batches.get(http, KEY, job.id, job.batch),
                b -> b.get("records").get("deferred").asLong() == 2
                        && b.get("chunks").get("done").asInt() == 3);
        JsonNode records = waiting.get("records");
        assertThat(records.get("processed").asLong() + records.get("deferred").asLong()).isEqualTo(5);
        assertThat(records.get("valid").asLong() + records.get("invalid").asLong()).isEqualTo(2);

        // and at the end all three rows carry the later answer, the copies their first copy's row
        JsonNode done = Batches.awaitFinal(http, KEY, job.id, job.batch);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        List<List<String>> rows = result(http, job);
        assertThat(rows).extracting(row -> row.get(1)).containsExactly(fred, sameChunk, "ann@ok.example.net",
                "nobody@ok.example.net", laterChunk);
        assertThat(rows).extracting(row -> row.get(2)).containsExactly("1", "2", "3", "4", "5");
        assertThat(rows).extracting(row -> row.get(3) + "/" + row.get(4)).containsExactly(
                "valid/accepted", "valid/accepted", "valid/accepted", "invalid/mailbox_not_found", "valid/accepted");
        assertThat(rows).extracting(row -> row.get(row.size() - 1)).containsExactly("", "1", "", "", "1");
        // as often as a single address: the chunk, then two later attempts
        assertThat(grey.attempts(fred)).isEqualTo(3);

        // and the counters add up
        records = done.get("records");
        assertThat(records.get("processed").asLong()).isEqualTo(5);
        assertThat(records.get("deferred").asLong()).isZero();
        assertThat(records.get("duplicates").asLong()).isEqualTo(2);
        assertThat(records.get("valid").asLong()).isEqualTo(4);
        assertThat(records.get("invalid").asLong()).isEqualTo(1);
        assertThat(records.get("unknown").asLong()).isZero();
        assertThat(http.get("/api/v1/jobs/" + job.id, KEY).json().get("records").get("deferred").asLong()).isZero();
        assertThat(deferredRows(server, job.batch)).isZero();
    }

    @Test
    void the_transcript_of_a_greylisted_address_tells_every_attempt_with_the_later_answer() {
        // given a job keeping transcripts, of an address greylisted twice and then accepted
        Http http = server.http();
        String dan = address("dan@grey.example.net");

        // when it is verified
        Job job = submit(http, List.of(dan), "{\"transcripts\": true}");
        assertThat(Batches.awaitFinal(http, KEY, job.id, job.batch).get("status").asString()).isEqualTo("completed");

        // then its transcript holds the chunk's attempt and both later ones, each RCPT TO with its answer
        JsonNode transcript = http.get("/api/v1/jobs/" + job.id + "/batches/" + job.batch + "/transcripts?email="
                + dan, KEY).json();
        assertThat(transcript.get("status").asString()).isEqualTo("valid");
        assertThat(transcript.get("reason").asString()).isEqualTo("accepted");
        List<String> answers = new ArrayList<>();
        boolean asked = false;
        for (JsonNode line : transcript.get("lines")) {
            String text = line.get("line").asString();
            if (line.get("direction").asString().equals("sent")) {
                asked = text.equals("RCPT TO:<" + dan + ">");
            } else if (asked) {
                answers.add(text.substring(0, 1));
                asked = false;
            }
        }
        assertThat(answers).containsExactly("4", "4", "2");
        assertThat(transcript.get("connections").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void cancelling_a_job_drops_its_deferred_addresses() {
        // given a job whose address waits for a later attempt
        Http http = server.http();
        Job job = submit(http, List.of(address("zed@forever.example.net")));
        Await.until("record deferred", () -> Batches.get(http, KEY, job.id, job.batch),
                b -> b.get("records").get("deferred").asLong() == 1);

        // when the job is cancelled
        assertThat(http.postJson("/api/v1/jobs/" + job.id + "/cancel", KEY, "{}").status()).isEqualTo(200);

        // then nothing waits any more: no stored address, no deferred record, no retry due
        JsonNode batch = Batches.get(http, KEY, job.id, job.batch);
        assertThat(batch.get("status").asString()).isEqualTo("cancelled");
        assertThat(batch.get("records").get("deferred").asLong()).isZero();
        assertThat(batch.get("next_retry_at").isNull()).isTrue();
        assertThat(deferredRows(server, job.batch)).isZero();
    }

    @Test
    void a_restart_during_the_wait_loses_no_address_and_doubles_no_row() {
        // given a server of its own, with a wait long enough to restart in
        try (TestServer node = TestServer.start(database, properties("3s,1s"))) {
            restartDuringTheWait(node);
        }
    }

    private void restartDuringTheWait(TestServer node) {
        String restart = address("restart@grey.example.net");
        List<String> emails = List.of("ann@ok.example.net", restart, "nobody@ok.example.net");
        Job job = submit(node.http(), emails);
        Await.until("record deferred", () -> Batches.get(node.http(), KEY, job.id, job.batch),
                b -> b.get("records").get("deferred").asLong() == 1);

        // when the server stops during the wait and starts again on the same database and files
        node.restart();

        // then the stored retries still run and the batch completes with each row exactly once
        Http http = node.http();
        JsonNode done = Batches.awaitFinal(http, KEY, job.id, job.batch);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        List<List<String>> rows = result(http, job);
        assertThat(rows).extracting(row -> row.get(2)).containsExactly("1", "2", "3");
        assertThat(rows).extracting(row -> row.get(3) + "/" + row.get(4)).containsExactly(
                "valid/accepted", "valid/accepted", "invalid/mailbox_not_found");
        assertThat(grey.attempts(restart)).isEqualTo(3);
        assertThat(done.get("records").get("processed").asLong()).isEqualTo(3);
        assertThat(done.get("records").get("deferred").asLong()).isZero();
        assertThat(deferredRows(node, job.batch)).isZero();
    }

    @Test
    void the_openapi_document_describes_the_deferred_counter_and_the_next_retry() {
        // when / then: the batch and job views and the counters describe the new fields (the document names
        // properties as the Java records do)
        JsonNode schemas = server.http().get("/api/v1/openapi.json", null).json().get("components").get("schemas");
        assertThat(schemas.get("BatchView").get("properties").get("nextRetryAt").get("description").asString())
                .contains("later attempt");
        assertThat(schemas.get("JobView").get("properties").get("nextRetryAt").get("description").asString())
                .contains("later attempt");
        assertThat(schemas.get("Records").get("properties").get("deferred").get("description").asString())
                .contains("try again later");
    }

    /** A job and its one batch. */
    record Job(String id, String batch) {
    }

    /** An address of its own for this database's run: the test servers count attempts per address. */
    private String address(String address) {
        return database.name().toLowerCase(Locale.ROOT) + "-" + address;
    }

    private static Job submit(Http http, List<String> emails) {
        return submit(http, emails, "{}");
    }

    private static Job submit(Http http, List<String> emails, String options) {
        StringBuilder csv = new StringBuilder("id,email\n");
        for (int i = 0; i < emails.size(); i++) {
            csv.append(i).append(',').append(emails.get(i)).append('\n');
        }
        String jobId = http.postJson("/api/v1/jobs", KEY,
                "{\"name\":\"greylist\",\"operation\":\"verify\",\"options\":" + options + "}").json()
                .get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "list.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        return new Job(jobId, batchId);
    }

    /** The result's rows without the header: id, email, sluice_row, sluice_status, sluice_reason... */
    private static List<List<String>> result(Http http, Job job) {
        JsonNode result = http.get("/api/v1/jobs/" + job.id + "/batches/" + job.batch + "/result", KEY).json();
        String text = http.get(result.get("download_url").asString(), null).text();
        List<List<String>> rows = new ArrayList<>();
        for (CsvRecord row : CsvReader.builder().ofCsvRecord(text)) {
            rows.add(row.getFields());
        }
        assertThat(rows.get(0).subList(0, 5)).containsExactly("id", "email", "sluice_row", "sluice_status",
                "sluice_reason");
        return rows.subList(1, rows.size());
    }

    private static long deferredRows(TestServer server, String batchId) {
        return server.bean(JdbcClient.class).sql("SELECT COUNT(*) FROM verify_deferred WHERE batch_id = :id")
                .param("id", batchId).query(Long.class).single();
    }
}
