package dev.sluice.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.storage.TestS3;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.ServerProcess;
import dev.sluice.server.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Three server processes on one PostgreSQL and one S3 bucket: jobs submitted to every node's API, one
 * node SIGKILLed while its chunks run, and every job still completes with exactly one result row per
 * input row, the killed node's tasks finished by the others.
 */
class ClusterKillTest {

    static final String KEY = "sk_test_cluster_key";
    static final int JOBS = 30;
    static final int ROWS = 4_000;

    @TempDir
    Path dir;

    @Test
    void jobs_complete_exactly_once_when_a_node_is_killed_mid_job() throws Exception {
        // given three nodes sharing one database and one bucket
        String database = TestPostgres.newDatabaseUrl();
        String bucket = TestS3.newBucket();
        Map<String, String> env = Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY);
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (int n = 1; n <= 3; n++) {
                nodes.add(ServerProcess.start(dir.resolve("node-" + n), dir.resolve("node-" + n + ".log"), env,
                        "--sluice.node-id=node-" + n,
                        "--sluice.database.url=" + database,
                        "--sluice.database.username=postgres",
                        "--sluice.database.password=postgres",
                        "--sluice.storage.url=s3://" + bucket,
                        "--sluice.storage.s3.endpoint=" + TestS3.endpoint(),
                        "--sluice.storage.s3.path-style=true",
                        "--sluice.storage.s3.region=" + TestS3.REGION,
                        "--sluice.storage.s3.access-key=" + TestS3.ACCESS_KEY,
                        "--sluice.storage.s3.secret-key=" + TestS3.SECRET_KEY,
                        "--sluice.job.chunk-size=250",
                        "--sluice.job.worker-threads=2",
                        "--sluice.job.poll-interval=200ms",
                        "--sluice.job.heartbeat-interval=1s",
                        "--sluice.job.missed-heartbeats=4",
                        "--sluice.verify.dns.enabled=false",
                        "--sluice.drop.enabled=false",
                        "--sluice.node.heartbeat=1s"));
            }
            List<Http> apis = nodes.stream().map(node -> new Http(node.baseUrl())).toList();

            // when 30 jobs are submitted across all nodes' APIs
            List<String[]> batches = new ArrayList<>();
            for (int j = 0; j < JOBS; j++) {
                Http api = apis.get(j % apis.size());
                String jobId = api.postJson("/api/v1/jobs", KEY, "{\"name\":\"cluster " + j + "\",\"operation\":\"verify\"}")
                        .json().get("id").asString();
                Http.Response created = api.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "list.csv",
                        file(j));
                assertThat(created.status()).isEqualTo(201);
                batches.add(new String[]{jobId, created.json().get("id").asString()});
            }

            // and node 2 is killed while it runs tasks
            Http first = apis.get(0);
            List<String> orphaned = awaitRunningTasks(first, "node-2");
            long killedAt = System.nanoTime();
            nodes.get(1).kill();

            // then every batch completes through the surviving nodes
            for (String[] batch : batches) {
                JsonNode done = Batches.awaitFinal(first, KEY, batch[0], batch[1], Duration.ofMinutes(3));
                assertThat(done.get("status").asString()).isEqualTo("completed");
                assertThat(done.get("records").get("processed").asLong()).isEqualTo(ROWS);
            }
            double resumedSeconds = (System.nanoTime() - killedAt) / 1e9;
            System.out.printf("node-2 was killed with %d tasks claimed; all %d jobs completed %.1f s later%n",
                    orphaned.size(), JOBS, resumedSeconds);

            // and each result holds exactly one row per input row, in order
            for (String[] batch : batches) {
                JsonNode result = first.get("/api/v1/jobs/" + batch[0] + "/batches/" + batch[1] + "/result", KEY).json();
                String text = first.get(result.get("download_url").asString(), null).text();
                long expected = 1;
                boolean header = true;
                for (CsvRecord row : CsvReader.builder().ofCsvRecord(text)) {
                    if (header) {
                        header = false;
                        continue;
                    }
                    assertThat(row.getField(2)).isEqualTo(String.valueOf(expected));
                    expected++;
                }
                assertThat(expected - 1).isEqualTo(ROWS);
            }

            // and the killed node's claims were taken over: nothing is left claimed by it
            JsonNode live = first.get("/api/v1/nodes", KEY).json().get("items");
            List<String> ids = new ArrayList<>();
            live.forEach(node -> ids.add(node.get("id").asString()));
            assertThat(ids).contains("node-1", "node-3").doesNotContain("node-2");
        } finally {
            for (ServerProcess node : nodes) {
                node.close();
            }
        }
    }

    private static byte[] file(int job) {
        StringBuilder csv = new StringBuilder("id,email\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append(i).append(",person").append(i).append("@company").append(job).append(".example.com\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the node holds claimed tasks; answers them. */
    private static List<String> awaitRunningTasks(Http api, String nodeId) {
        return Await.until(nodeId + " claiming a task", () -> {
            List<String> tasks = new ArrayList<>();
            for (JsonNode node : api.get("/api/v1/nodes", KEY).json().get("items")) {
                if (node.get("id").asString().equals(nodeId)) {
                    node.get("running_tasks").forEach(t -> tasks.add(t.asString()));
                }
            }
            return tasks;
        }, tasks -> !tasks.isEmpty());
    }
}
