package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A verify batch in progress across the upgrade that brought chunk handouts: its chunks were processed by the
 * version before, which wrote each chunk's report, later copies and first copies' verdicts as three blobs. The
 * assembly reads those and gives the result, counters and report a batch of handouts gives.
 *
 * <p>How the test holds the batch before its assembly: a folder with a file in it where the result goes, so that
 * every assembly fails to store the result (and is retried) until the test has rewritten each chunk's handout as
 * the three older blobs and removed the folder.
 */
class HandoutUpgradeTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_handout_upgrades";

    /** Repeats within and across chunks of three records, a role address, a syntax error. */
    static final String FILE = """
            email,n
            ann@example.com,1
            bob@example.org,2
             ann@EXAMPLE.com ,3
            carl@example.net,4
            not-an-address,5
            bob@example.org,6
            info@example.com,7
            ann@example.com,8
            carl@example.net,9
            dora@example.com,10
            bob@example.org,11
            """;

    static TestServer server;

    @BeforeAll
    static void start_server() {
        server = TestServer.start(TestDatabase.SQLITE, TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "3"), Map.entry("sluice.drop.enabled", "false")));
    }

    @AfterAll
    static void stop_server() {
        server.close();
    }

    @Test
    void chunks_written_before_handouts_assemble_into_the_same_result_counters_and_report() throws IOException {
        Http http = server.http();
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "handout-upgrade");
        Finished now = run(http, tenant, createJob(http, tenant, "now"), null);

        Finished before = run(http, tenant, createJob(http, tenant, "before"), HandoutUpgradeTest::asBefore);

        assertThat(before.result()).isEqualTo(now.result());
        assertThat(before.records()).isEqualTo(now.records());
        assertThat(before.report()).isEqualTo(now.report());
        assertThat(now.records().get("duplicates").asLong()).isEqualTo(5);
    }

    private record Finished(String result, JsonNode records, JsonNode report) {
    }

    /** Rewrites a batch's chunk handouts as the three blobs the version before wrote. */
    @FunctionalInterface
    private interface Rewrite {
        void rewrite(Batch batch) throws IOException;
    }

    private static String createJob(Http http, Tenant tenant, String name) {
        return http.postJson("/api/v1/jobs", tenant.key(), "{\"name\":\"" + name + "\",\"operation\":\"verify\"}")
                .json().get("id").asString();
    }

    private static Finished run(Http http, Tenant tenant, String jobId, Rewrite before) throws IOException {
        JsonNode ticket = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", tenant.key(), "{}").json();
        String batchId = ticket.get("id").asString();
        Batch waiting = server.bean(BatchLifecycle.class).find(batchId).orElseThrow();
        Path blocker = server.dataDir().resolve("blobs").resolve(BlobKeys.result(waiting, "result.csv"))
                .resolve("held");
        if (before != null) {
            Files.createDirectories(blocker.getParent());
            Files.writeString(blocker, "the assembly cannot store the result here");
        }
        assertThat(http.put(ticket.get("upload_url").asString(), FILE.getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        if (before != null) {
            Batch done = Await.until("every chunk of " + batchId + " done",
                    () -> server.bean(BatchLifecycle.class).find(batchId).orElseThrow(),
                    batch -> batch.chunksTotal() > 0 && batch.chunksDone() == batch.chunksTotal());
            before.rewrite(done);
            // held: no assembly could store the result meanwhile
            assertThat(server.bean(BatchLifecycle.class).find(batchId).orElseThrow().status())
                    .isEqualTo(BatchStatus.IN_PROGRESS);
            Files.delete(blocker);
            Files.delete(blocker.getParent());
        }
        JsonNode batch = Batches.awaitFinal(http, tenant.key(), jobId, batchId);
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", tenant.key()).json();
        String text = http.get(result.get("download_url").asString(), null).text();
        JsonNode report = http.get("/api/v1/jobs/" + jobId + "/report", tenant.key()).json();
        return new Finished(text, batch.get("records"), report.get("total"));
    }

    private static void asBefore(Batch batch) throws IOException {
        BlobStorage storage = server.bean(BlobStorage.class);
        for (int i = 0; i < batch.chunksTotal(); i++) {
            String key = BlobKeys.handout(batch, i);
            ChunkHandout handout;
            try (InputStream in = storage.open(key)) {
                handout = ChunkHandout.read(in);
            }
            byte[] report = handout.report().readAllBytes();
            byte[] later = handout.laterCopies().readAllBytes();
            byte[] firsts = handout.firstCopies().readAllBytes();
            storage.write(BlobKeys.chunkReport(batch, i), out -> out.write(report));
            // the version before wrote these two only when they held something
            if (later.length > 0) {
                storage.write(BlobKeys.laterCopies(batch, i), out -> out.write(later));
            }
            if (firsts.length > 0) {
                storage.write(BlobKeys.firstCopies(batch, i), (OutputStream out) -> out.write(firsts));
            }
            storage.delete(key);
        }
    }
}
