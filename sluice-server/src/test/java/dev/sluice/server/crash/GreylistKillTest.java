package dev.sluice.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.ServerProcess;
import dev.sluice.server.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A server SIGKILLed while greylisted addresses wait for their later attempt ({@code retry-after}), then
 * started again on the same database and data directory, asks them at their time and completes the batch with
 * every row once and the later answers: the deferred addresses and their retry tasks were in the store.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class GreylistKillTest {

    static final String KEY = "sk_test_greylist_kill";

    static final DnsResponder dns = DnsResponder.start();
    static final TestSmtpServer mailboxes = TestSmtpServer.start(TestSmtpServer.loopback(31), 0,
            Behavior.onlyMailboxes("ann@ok.example.net"));
    /** 451 to the first two attempts of each recipient, then accepts. */
    static final TestSmtpServer grey = mailboxes.startSibling(TestSmtpServer.loopback(32),
            Behavior.acceptAll().greylisting(2));

    static {
        dns.mx("ok.example.net", 10, "mx.ok.example.net").a("mx.ok.example.net", "127.0.0.31")
                .mx("grey.example.net", 10, "mx.grey.example.net").a("mx.grey.example.net", "127.0.0.32");
    }

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    @AfterAll
    static void stop_peers() throws Exception {
        for (AutoCloseable peer : List.<AutoCloseable>of(grey, mailboxes, dns)) {
            peer.close();
        }
    }

    @Test
    void a_sigkill_during_the_wait_loses_no_deferred_address() throws Exception {
        // given a server whose batch has addresses waiting for a later attempt
        String prefix = database.name().toLowerCase(Locale.ROOT);
        List<String> emails = List.of("ann@ok.example.net", prefix + "-bob@grey.example.net", "nobody@ok.example.net",
                prefix + "-cy@grey.example.net");
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        Map<String, String> env = Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY);
        String[] args = args();
        String jobId;
        String batchId;
        try (ServerProcess first = ServerProcess.start(data, log, env, args)) {
            Http http = new Http(first.baseUrl());
            jobId = http.postJson("/api/v1/jobs", KEY, "{\"name\":\"kill\",\"operation\":\"verify\"}").json()
                    .get("id").asString();
            StringBuilder csv = new StringBuilder("id,email\n");
            for (int i = 0; i < emails.size(); i++) {
                csv.append(i).append(',').append(emails.get(i)).append('\n');
            }
            batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "list.csv",
                    csv.toString().getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
            String batch = batchId;
            Await.until("both greylisted addresses deferred", () -> Batches.get(http, KEY, jobId, batch),
                    b -> b.get("records").get("deferred").asLong() == 2);

            // when it is killed during the wait
            first.kill();
        }

        // then a server started again on the same store asks them at their time and completes the batch
        try (ServerProcess second = ServerProcess.start(data, log, env, args)) {
            Http http = new Http(second.baseUrl());
            JsonNode done = Batches.awaitFinal(http, KEY, jobId, batchId, Duration.ofMinutes(3));
            assertThat(done.get("status").asString()).isEqualTo("completed");
            assertThat(done.get("records").get("processed").asLong()).isEqualTo(4);
            assertThat(done.get("records").get("deferred").asLong()).isZero();
            assertThat(done.get("records").get("valid").asLong()).isEqualTo(3);
            JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", KEY).json();
            List<List<String>> rows = new ArrayList<>();
            for (CsvRecord row : CsvReader.builder().ofCsvRecord(http.get(result.get("download_url").asString(),
                    null).text())) {
                rows.add(row.getFields());
            }
            assertThat(rows).extracting(row -> row.get(2)).containsExactly("sluice_row", "1", "2", "3", "4");
            assertThat(rows).extracting(row -> row.get(3) + "/" + row.get(4)).containsExactly(
                    "sluice_status/sluice_reason", "valid/accepted", "valid/accepted", "invalid/mailbox_not_found",
                    "valid/accepted");
            assertThat(grey.attempts(prefix + "-bob@grey.example.net")).isEqualTo(3);
        }
    }

    /** The child's settings: the loopback peers, one address per chunk, later attempts 4 s and 1 s after. */
    private String[] args() {
        List<String> args = new ArrayList<>(List.of("--sluice.job.poll-interval=100ms",
                "--sluice.job.heartbeat-interval=1s", "--sluice.job.missed-heartbeats=4",
                "--sluice.job.chunk-size=1",
                "--sluice.verify.dns.servers=127.0.0.1:" + dns.address().getPort(),
                "--sluice.verify.preflight.enabled=false",
                "--sluice.verify.smtp.port=" + mailboxes.port(),
                "--sluice.verify.smtp.allow=127.0.0.31,127.0.0.32",
                "--sluice.verify.smtp.rcpt-per-second-per-domain=0",
                "--sluice.verify.smtp.retry-attempts=1",
                "--sluice.verify.smtp.retry-after=4s,1s"));
        database.properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        return args.toArray(String[]::new);
    }
}
