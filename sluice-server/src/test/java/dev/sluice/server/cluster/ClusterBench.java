package dev.sluice.server.cluster;

import dev.sluice.server.storage.TestS3;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.JobStages;
import dev.sluice.server.support.ServerProcess;
import dev.sluice.server.support.TestPostgres;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Figures for scale-out (a bench, not a test; nothing asserts on time): one verify job of N rows on the embedded
 * default (SQLite and local disk), on one node and on two nodes sharing one PostgreSQL and one S3 bucket, and, in
 * a last two-node run, how long after a SIGKILL of the second node its claimed tasks were taken over by the first.
 * Each run prints its stages from the job's events: queued to loaded (the file cut into chunks), loaded to the
 * last chunk done, and the completion (the assembly). Everything runs on this one machine: the second node shares its cores.
 *
 * <pre>
 * cd sluice-server
 * ../mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/bench.cp
 * java --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/classes:$(cat /tmp/bench.cp) \
 *     dev.sluice.server.cluster.ClusterBench 1000000
 * </pre>
 * {@code -Dbench.only=N} runs only the run on N nodes (0: the embedded default), and {@code -Dbench.args="--a=b ..."}
 * gives the cluster nodes more server arguments (e.g. {@code --sluice.job.worker-threads=6}).
 */
public final class ClusterBench {

    static final String KEY = "sk_bench_cluster";

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("sluice-cluster-bench-");
        Path input = dir.resolve("input.csv");
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            w.write("id,email\n");
            for (int i = 1; i <= rows; i++) {
                w.write(i + ",user" + i + "@company" + (i % 500) + ".example.com\n");
            }
        }
        System.out.printf("input: %,d rows, %.1f MB%n", rows, Files.size(input) / 1e6);
        if (System.getProperty("bench.only") != null) {
            run(dir.resolve("only"), input, rows, Integer.parseInt(System.getProperty("bench.only")), false);
            System.exit(0);
        }
        double embedded = run(dir.resolve("embedded"), input, rows, 0, false);
        double one = run(dir.resolve("one"), input, rows, 1, false);
        double two = run(dir.resolve("two"), input, rows, 2, false);
        System.out.printf("embedded: %.1f s (%,.0f records/s); one node on PostgreSQL + S3: %.1f s (%,.0f records/s, "
                + "%.2fx the embedded rate); two nodes: %.1f s (%,.0f records/s); speed-up %.2fx%n",
                embedded, rows / embedded, one, rows / one, embedded / one, two, rows / two, one / two);
        run(dir.resolve("kill"), input, rows, 2, true);
        System.exit(0);
    }

    /** {@code nodeCount} 0: one node on the embedded default. */
    private static double run(Path dir, Path input, int rows, int nodeCount, boolean killSecond) throws Exception {
        boolean embedded = nodeCount == 0;
        String database = embedded ? null : TestPostgres.newDatabaseUrl();
        String bucket = embedded ? null : TestS3.newBucket();
        List<ServerProcess> nodes = new ArrayList<>();
        Files.createDirectories(dir);
        try {
            if (embedded) {
                nodes.add(ServerProcess.start(dir.resolve("node-1"), dir.resolve("node-1.log"),
                        Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY),
                        "--sluice.ingest.max-file-size=200MB",
                        "--sluice.verify.dns.enabled=false",
                        "--sluice.drop.enabled=false"));
            }
            for (int n = 1; n <= nodeCount; n++) {
                List<String> extra = new ArrayList<>(List.of(System.getProperty("bench.args", "").split(" ")));
                extra.removeIf(String::isBlank);
                extra.addAll(0, List.of(
                        "--sluice.node-id=node-" + n,
                        "--sluice.database.url=" + database,
                        "--sluice.database.username=postgres",
                        "--sluice.database.password=postgres",
                        "--sluice.storage.url=s3://" + bucket,
                        "--sluice.storage.s3.endpoint=" + TestS3.endpoint(),
                        "--sluice.storage.s3.path-style=true",
                        "--sluice.storage.s3.access-key=" + TestS3.ACCESS_KEY,
                        "--sluice.storage.s3.secret-key=" + TestS3.SECRET_KEY,
                        "--sluice.ingest.max-file-size=200MB",
                        "--sluice.job.heartbeat-interval=1s",
                        "--sluice.job.missed-heartbeats=4",
                        "--sluice.node.heartbeat=1s",
                        "--sluice.verify.dns.enabled=false",
                        "--sluice.drop.enabled=false"));
                nodes.add(ServerProcess.start(dir.resolve("node-" + n), dir.resolve("node-" + n + ".log"),
                        Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY), extra.toArray(String[]::new)));
            }
            Http api = new Http(nodes.get(0).baseUrl());
            String jobId = api.postJson("/api/v1/jobs", KEY, "{\"name\":\"bench\",\"operation\":\"verify\"}").json()
                    .get("id").asString();
            JsonNode batchFile = api.postJson("/api/v1/jobs/" + jobId + "/batch-files", KEY, "{}").json();
            long start = System.nanoTime();
            api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(batchFile.get("upload_url").asString()))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(input)));
            String batchId = batchFile.get("id").asString();
            if (killSecond) {
                Set<String> orphaned = awaitClaims(api, "node-2");
                long killed = System.nanoTime();
                nodes.get(1).kill();
                double resumed = awaitTakenOver(database, orphaned, killed);
                System.out.printf("SIGKILL of node-2 with %d claimed tasks: taken over by node-1 %.1f s later%n",
                        orphaned.size(), resumed);
            }
            while (true) {
                JsonNode batch = api.get("/api/v1/jobs/" + jobId + "/batches/" + batchId, KEY).json();
                String status = batch.get("status").asString();
                if (status.equals("completed")) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("%s%s: %,d records verified in %.1f s (upload to completed); %s%n",
                            embedded ? "embedded" : nodeCount + " node(s)", killSecond ? " with a kill" : "",
                            batch.get("records").get("processed").asLong(), seconds, JobStages.of(api, KEY, jobId));
                    return seconds;
                }
                if (List.of("failed", "malformed", "cancelled").contains(status)) {
                    throw new IllegalStateException("batch ended " + status + ": " + batch);
                }
                Thread.sleep(100);
            }
        } finally {
            for (ServerProcess node : nodes) {
                node.close();
            }
        }
    }

    private static Set<String> awaitClaims(Http api, String nodeId) throws InterruptedException {
        while (true) {
            for (JsonNode node : api.get("/api/v1/nodes", KEY).json().get("items")) {
                if (node.get("id").asString().equals(nodeId) && !node.get("running_tasks").isEmpty()) {
                    Set<String> tasks = new HashSet<>();
                    node.get("running_tasks").forEach(t -> tasks.add(t.asString()));
                    return tasks;
                }
            }
            Thread.sleep(20);
        }
    }

    /**
     * Seconds from the kill until none of the orphaned tasks is still claimed by the dead node: each is
     * either claimed by another node or finished (its row gone from the task table).
     */
    private static double awaitTakenOver(String database, Set<String> orphaned, long killed) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(database, "postgres", "postgres")) {
            while (true) {
                int stillDead = 0;
                for (String task : orphaned) {
                    int slash = task.indexOf('/');
                    try (java.sql.PreparedStatement q = c.prepareStatement(
                            "SELECT picked_by FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?")) {
                        q.setString(1, task.substring(0, slash));
                        q.setString(2, task.substring(slash + 1));
                        try (java.sql.ResultSet rs = q.executeQuery()) {
                            if (rs.next() && "node-2".equals(rs.getString(1))) {
                                stillDead++;
                            }
                        }
                    }
                }
                if (stillDead == 0) {
                    return (System.nanoTime() - killed) / 1e9;
                }
                Thread.sleep(20);
            }
        }
    }
}
