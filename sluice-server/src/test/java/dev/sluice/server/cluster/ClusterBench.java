package dev.sluice.server.cluster;

import dev.sluice.server.storage.TestS3;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.JobStages;
import dev.sluice.server.support.LatencyProxy;
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
 * Figures for scale-out (a bench, not a test; nothing asserts on time): two verify jobs of N rows, one after the
 * other (the first on fresh servers, the second on the same), on the embedded default (SQLite and local disk), on
 * one node and on two nodes sharing one PostgreSQL and one S3 bucket, and, in a last two-node run, how long after a
 * SIGKILL of the second node its claimed tasks were taken over by the first. Each job prints its stages from the
 * job's events (queued to loaded: the file cut into chunks; loaded to the last chunk done; the completion, i.e. the
 * assembly), the CPU seconds each process spent on it (the nodes, this JVM, which serves S3Mock, and
 * PostgreSQL) and each server's peak RSS so far. Everything runs on this one machine: the second node, S3Mock
 * and PostgreSQL share its cores, so the CPU figures are what a model of separate machines starts from. The
 * servers run with the {@code sluice} launcher's JVM options ({@link #jvmOptions}).
 *
 * <pre>
 * cd sluice-server
 * ../mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/bench.cp
 * java --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/classes:$(cat /tmp/bench.cp) \
 *     dev.sluice.server.cluster.ClusterBench 1000000
 * </pre>
 * {@code -Dbench.only=N} runs only the run on N nodes (0: the embedded default), {@code -Dbench.args="--a=b ..."}
 * gives the cluster nodes more server arguments (e.g. {@code --sluice.job.worker-threads=6}) and
 * {@code -Dbench.jvm="..."} other JVM options for every server. {@code -Dbench.s3-latency=N} puts a proxy between the
 * nodes and S3Mock that delays every response by N ms ({@link LatencyProxy}), as a bucket across a network would.
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
        System.out.printf("input: %,d rows, %.1f MB; server JVM options: %s; S3 round trip added: %d ms%n", rows,
                Files.size(input) / 1e6, String.join(" ", jvmOptions()), Long.getLong("bench.s3-latency", 0));
        if (System.getProperty("bench.only") != null) {
            run(dir.resolve("only"), input, rows, Integer.parseInt(System.getProperty("bench.only")), false);
            System.exit(0);
        }
        double[] embedded = run(dir.resolve("embedded"), input, rows, 0, false);
        double[] one = run(dir.resolve("one"), input, rows, 1, false);
        double[] two = run(dir.resolve("two"), input, rows, 2, false);
        for (int job = 0; job < JOBS; job++) {
            System.out.printf("%s job: embedded %.1f s (%,.0f records/s); one node on PostgreSQL + S3 %.1f s "
                            + "(%,.0f records/s, %.2fx the embedded rate); two nodes %.1f s (%,.0f records/s); "
                            + "speed-up %.2fx%n", job == 0 ? "first (cold)" : "second (warm)", embedded[job],
                    rows / embedded[job], one[job], rows / one[job], embedded[job] / one[job], two[job],
                    rows / two[job], one[job] / two[job]);
        }
        run(dir.resolve("kill"), input, rows, 2, true);
        System.exit(0);
    }

    /** S3Mock's endpoint, or with {@code -Dbench.s3-latency=N} a proxy in front of it that adds N ms a request. */
    private static synchronized java.net.URI s3Endpoint() throws java.io.IOException {
        long latency = Long.getLong("bench.s3-latency", 0);
        if (latency <= 0) {
            return TestS3.endpoint();
        }
        if (s3Proxy == null) {
            s3Proxy = LatencyProxy.start(TestS3.endpoint(), java.time.Duration.ofMillis(latency));
        }
        return s3Proxy.endpoint();
    }

    private static LatencyProxy s3Proxy;

    /** Jobs per run: a first one on the fresh server(s) and a second one on the same. */
    private static final int JOBS = 2;

    /**
     * {@code nodeCount} 0: one node on the embedded default. Answers the seconds of each job, upload to completed;
     * with {@code killSecond} one job, during which the second node is killed.
     */
    private static double[] run(Path dir, Path input, int rows, int nodeCount, boolean killSecond) throws Exception {
        boolean embedded = nodeCount == 0;
        String database = embedded ? null : TestPostgres.newDatabaseUrl();
        String bucket = embedded ? null : TestS3.newBucket();
        List<ServerProcess> nodes = new ArrayList<>();
        Files.createDirectories(dir);
        try {
            if (embedded) {
                nodes.add(ServerProcess.start(jvmOptions(), dir.resolve("node-1"), dir.resolve("node-1.log"),
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
                        "--sluice.storage.s3.endpoint=" + s3Endpoint(),
                        "--sluice.storage.s3.path-style=true",
                        "--sluice.storage.s3.access-key=" + TestS3.ACCESS_KEY,
                        "--sluice.storage.s3.secret-key=" + TestS3.SECRET_KEY,
                        "--sluice.ingest.max-file-size=200MB",
                        "--sluice.job.heartbeat-interval=1s",
                        "--sluice.job.missed-heartbeats=4",
                        "--sluice.node.heartbeat=1s",
                        "--sluice.verify.dns.enabled=false",
                        "--sluice.drop.enabled=false"));
                nodes.add(ServerProcess.start(jvmOptions(), dir.resolve("node-" + n), dir.resolve("node-" + n + ".log"),
                        Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY), extra.toArray(String[]::new)));
            }
            Http api = new Http(nodes.get(0).baseUrl());
            double[] seconds = new double[killSecond ? 1 : JOBS];
            for (int job = 0; job < seconds.length; job++) {
                String label = (embedded ? "embedded" : nodeCount + " node(s)")
                        + (killSecond ? " with a kill" : job == 0 ? ", first (cold) job" : ", second (warm) job");
                seconds[job] = job(api, input, nodes, database, label, killSecond);
            }
            return seconds;
        } finally {
            for (ServerProcess node : nodes) {
                node.close();
            }
        }
    }

    /** One job of one batch, the file PUT to its upload link; prints its stages and CPU, answers its seconds. */
    private static double job(Http api, Path input, List<ServerProcess> nodes, String database, String label,
            boolean killSecond) throws Exception {
        String jobId = api.postJson("/api/v1/jobs", KEY, "{\"name\":\"bench\",\"operation\":\"verify\"}").json()
                .get("id").asString();
        JsonNode batchFile = api.postJson("/api/v1/jobs/" + jobId + "/batch-files", KEY, "{}").json();
        Cpu before = Cpu.now(nodes);
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
                Cpu used = Cpu.now(nodes).minus(before);
                System.out.printf("%s: %,d records verified in %.1f s (upload to completed); %s; %s; peak RSS MB: %s%n",
                        label, batch.get("records").get("processed").asLong(), seconds, JobStages.of(api, KEY, jobId),
                        used.describe(database != null), peakRss(nodes));
                return seconds;
            }
            if (List.of("failed", "malformed", "cancelled").contains(status)) {
                throw new IllegalStateException("batch ended " + status + ": " + batch);
            }
            Thread.sleep(100);
        }
    }

    /** Each server's peak resident memory so far (VmHWM), in MB; "-" for one that is gone. */
    private static String peakRss(List<ServerProcess> nodes) {
        List<String> peaks = new ArrayList<>();
        for (ServerProcess node : nodes) {
            try {
                peaks.add(Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status")).stream()
                        .filter(line -> line.startsWith("VmHWM:"))
                        .map(line -> Long.toString(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024))
                        .findFirst().orElse("-"));
            } catch (java.io.IOException e) {
                peaks.add("-");
            }
        }
        return String.join(", ", peaks);
    }

    /**
     * The JVM options of the servers: {@code -Dbench.jvm="..."}, or else the defaults of the {@code sluice}
     * launcher (its line {@code defaults="..."}), so that the nodes run as {@code ./sluice serve} would, without
     * the start-up cache (made for the launcher's jar, not this class path).
     */
    static List<String> jvmOptions() throws java.io.IOException {
        String given = System.getProperty("bench.jvm");
        if (given != null) {
            return List.of(given.trim().split("\\s+"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path launcher = dir.resolve("sluice");
            if (Files.isRegularFile(launcher)) {
                java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("(?m)^defaults=\"([^\"]*)\"")
                        .matcher(Files.readString(launcher));
                if (defaults.find()) {
                    return List.of(defaults.group(1).trim().split("\\s+"));
                }
            }
        }
        throw new IllegalStateException("found no sluice launcher above " + Path.of("").toAbsolutePath()
                + " to take the servers' JVM options from; run from the repository or give -Dbench.jvm=\"...\"");
    }

    /**
     * CPU seconds (user + system) so far of the server processes, of this JVM (S3Mock and the bench's client) and
     * of PostgreSQL's processes (the embedded server and its backends), as the kernel counts them. A server that is
     * gone (killed) counts as NaN, and a difference leaves it out.
     */
    private record Cpu(double[] nodes, double bench, double postgres) {

        static Cpu now(List<ServerProcess> servers) {
            double[] nodes = new double[servers.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = ProcessHandle.of(servers.get(i).pid()).filter(ProcessHandle::isAlive)
                        .map(Cpu::seconds).orElse(Double.NaN);
            }
            double postgres = ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .mapToDouble(Cpu::seconds).sum();
            return new Cpu(nodes, seconds(ProcessHandle.current()), postgres);
        }

        private static double seconds(ProcessHandle process) {
            return process.info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(0.0);
        }

        Cpu minus(Cpu before) {
            double[] used = new double[nodes.length];
            for (int i = 0; i < used.length; i++) {
                used[i] = nodes[i] - before.nodes[i];
            }
            return new Cpu(used, bench - before.bench, postgres - before.postgres);
        }

        String describe(boolean cluster) {
            StringBuilder line = new StringBuilder("CPU s: ");
            for (int i = 0; i < nodes.length; i++) {
                line.append(cluster ? "node-" + (i + 1) : "server").append(' ')
                        .append(Double.isNaN(nodes[i]) ? "(killed)" : String.format("%.1f", nodes[i])).append(", ");
            }
            if (cluster) {
                line.append(String.format("S3Mock (this JVM) %.1f, PostgreSQL %.1f", bench, postgres));
            } else {
                line.setLength(line.length() - 2);
            }
            return line.toString();
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
