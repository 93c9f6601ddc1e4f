package dev.sluice.server.dataset.imports;

import dev.sluice.server.SluiceApplication;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.JobStages;
import dev.sluice.server.support.TestPostgres;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Figures, not a test: an import of N rows x 8 columns through Sluice's API, against the same file loaded by
 * {@code psql \copy} (PostgreSQL) and by the {@code sqlite3} shell's {@code .import} (SQLite) into an
 * identical table with the same unique key index. Prints the times and the ratios. Needs {@code psql} and
 * {@code sqlite3} on the PATH; PostgreSQL is the tests' embedded server.
 *
 * <pre>{@code
 * ./mvnw -q -B -o install -DskipTests && ./mvnw -q -B -o -pl sluice-server test-compile
 * ./mvnw -q -B -o -pl sluice-server dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/bench.cp
 * cd sluice-server && java --enable-native-access=ALL-UNNAMED \
 *     -cp target/test-classes:target/classes:$(cat /tmp/bench.cp) dev.sluice.server.dataset.imports.ImportBench 1000000
 * }</pre>
 * The Sluice time runs from the start of the multipart upload to the batch being {@code completed}: upload,
 * load into chunks, typed parsing, the pass over the parts, the load into the dataset, per-record outcomes and
 * the commit. The ratios are those of imports into an empty dataset (loaded straight into it): the server's first,
 * and a second one into another empty dataset once the code is compiled (warm; the server runs in this JVM, so the
 * PostgreSQL server's first import is also this JVM's first, and SQLite's comes after it). With
 * {@code --again} after the row count, the same file is imported a second time, which updates every record through
 * a staging table and a merge, and its time is printed too (its disk writes slow the runs after it, so the ratios
 * are best read from a run without). With {@code --runs=N} the whole round (a new server and database on each side,
 * the reference tool into a new table) runs N times and the bench ends with the median and the range of every
 * figure and ratio: on a shared machine the reference tools' own times move by a quarter from one run to the next.
 */
public final class ImportBench {

    private static final String KEY = "sk_bench_admin_key_for_import";
    private static final String DDL_COLUMNS = "{\"name\":\"id\",\"type\":\"integer\",\"required\":true},"
            + "{\"name\":\"sku\",\"type\":\"string\",\"required\":false},"
            + "{\"name\":\"name\",\"type\":\"string\",\"required\":false},"
            + "{\"name\":\"price\",\"type\":\"decimal\",\"required\":false},"
            + "{\"name\":\"qty\",\"type\":\"integer\",\"required\":false},"
            + "{\"name\":\"active\",\"type\":\"boolean\",\"required\":false},"
            + "{\"name\":\"since\",\"type\":\"date\",\"required\":false},"
            + "{\"name\":\"email\",\"type\":\"email\",\"required\":false}";

    private ImportBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        List<String> flags = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        boolean again = flags.contains("--again");
        int runs = flags.stream().filter(f -> f.startsWith("--runs=")).findFirst()
                .map(f -> Integer.parseInt(f.substring("--runs=".length()))).orElse(1);
        if (runs < 1) {
            throw new IllegalArgumentException("--runs=N needs N of at least 1, not " + runs);
        }
        Path work = Files.createTempDirectory("sluice-import-bench");
        Path csv = work.resolve("data.csv");
        writeFile(csv, rows);
        System.out.printf("file: %,d rows x 8 columns, %,d bytes%n", rows, Files.size(csv));

        Figures pg = new Figures("PostgreSQL", "psql \\copy");
        Figures sqlite = new Figures("SQLite", "sqlite3 .import");
        for (int run = 1; run <= runs; run++) {
            if (runs > 1) {
                System.out.printf("run %d of %d%n", run, runs);
            }
            String url = TestPostgres.newDatabaseUrl();
            double[] sluicePg = sluice(work.resolve("pg-" + run), csv, Map.of("sluice.database.url", url,
                    "sluice.database.username", "postgres", "sluice.database.password", "postgres"), rows, again);
            pg.add(sluicePg, psqlCopy(url, csv));

            double[] sluiceSqlite = sluice(work.resolve("sqlite-" + run), csv, Map.of(), rows, again);
            sqlite.add(sluiceSqlite, sqliteImport(work.resolve("shell-" + run + ".db"), csv));
        }
        pg.print(runs);
        sqlite.print(runs);
    }

    /**
     * One database's figures over the runs: Sluice's first and warm imports and the reference tool's load, each run's
     * line as it ends, and with several runs the median and the range of each figure and of the ratios (each run's
     * ratio taken against that run's reference, so a slow spell of the machine counts on both sides).
     */
    private static final class Figures {

        private final String database;
        private final String reference;
        private final List<Double> first = new ArrayList<>();
        private final List<Double> warm = new ArrayList<>();
        private final List<Double> tool = new ArrayList<>();
        private final List<Double> firstRatio = new ArrayList<>();
        private final List<Double> warmRatio = new ArrayList<>();

        Figures(String database, String reference) {
            this.database = database;
            this.reference = reference;
        }

        void add(double[] sluice, double referenceSeconds) {
            first.add(sluice[0]);
            warm.add(sluice[1]);
            tool.add(referenceSeconds);
            firstRatio.add(sluice[0] / referenceSeconds);
            warmRatio.add(sluice[1] / referenceSeconds);
            System.out.printf("%s: sluice %.2f s (warm %.2f s), %s %.2f s, ratio %.2f (warm %.2f)%n", database,
                    sluice[0], sluice[1], reference, referenceSeconds, sluice[0] / referenceSeconds,
                    sluice[1] / referenceSeconds);
        }

        void print(int runs) {
            if (runs < 2) {
                return;
            }
            System.out.printf("%s over %d runs, median (lowest to highest): sluice %s s, warm %s s, %s %s s, "
                    + "ratio %s, warm ratio %s%n", database, runs, spread(first), spread(warm), reference, spread(tool),
                    spread(firstRatio), spread(warmRatio));
        }

        private static String spread(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return String.format(Locale.ROOT, "%.2f (%.2f to %.2f)", median, sorted.getFirst(),
                    sorted.getLast());
        }
    }

    private static void writeFile(Path csv, long rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("id,sku,name,price,qty,active,since,email\n");
            for (long i = 1; i <= rows; i++) {
                out.write(i + ",SKU-" + i + ",Product number " + i + "," + (i % 10_000) + "." + (i % 100 < 10 ? "0" : "")
                        + (i % 100) + "," + (i % 500) + "," + (i % 2 == 0 ? "true" : "false") + ",2026-"
                        + String.format("%02d-%02d", 1 + i % 12, 1 + i % 28) + ",user" + i + "@example.com\n");
            }
        }
    }

    /**
     * Seconds two imports of the file into an empty dataset took, from the upload until the batch is completed,
     * through the server's API: the first one on the server, and a second one into another empty dataset with the
     * code compiled (warm).
     */
    private static double[] sluice(Path dataDir, Path csv, Map<String, String> database, long rows, boolean again)
            throws IOException {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("sluice.data-dir", dataDir.toString());
        properties.put("SLUICE_BOOTSTRAP_API_KEY", KEY);
        properties.put("sluice.ingest.max-file-size", "2GB");
        properties.put("sluice.verify.dns.enabled", "false");
        properties.put("sluice.drop.enabled", "false");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SluiceApplication.class)
                .properties(properties).run()) {
            Http http = new Http("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
            for (String dataset : List.of("bench", "bench_warm")) {
                http.postJson("/api/v1/datasets", KEY, "{\"name\":\"" + dataset + "\",\"columns\":[" + DDL_COLUMNS
                        + "],\"key\":[\"id\"]}");
            }
            double first = importOnce(http, csv, rows, "bench", "into the empty dataset");
            double warm = importOnce(http, csv, rows, "bench_warm", "into another empty dataset, warm");
            if (again) {
                importOnce(http, csv, rows, "bench", "again, updating every record");
            }
            return new double[] {first, warm};
        }
    }

    /** Seconds from the upload until the batch is completed, through the running server's API. */
    private static double importOnce(Http http, Path csv, long rows, String dataset, String what)
            throws IOException {
        String job = http.postJson("/api/v1/jobs", KEY, "{\"name\":\"bench\",\"operation\":\"import\",\"options\":"
                + "{\"dataset\":\"" + dataset + "\",\"importType\":\"update\",\"source\":{\"headers\":true,\"separator\":\",\"}}}")
                .json().get("id").asString();
        byte[] bytes = Files.readAllBytes(csv);
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        JsonNode batch = http.postFile("/api/v1/jobs/" + job + "/batch-files", KEY, "file", "data.csv", bytes).json();
        String batchId = batch.get("id").asString();
        double upload = (System.nanoTime() - start) / 1e9;
        while (true) {
            batch = http.get("/api/v1/jobs/" + job + "/batches/" + batchId, KEY).json();
            String status = batch.get("status").asString();
            if (List.of("completed", "failed", "malformed", "cancelled").contains(status)) {
                break;
            }
            sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        if (batch.get("records").get("completed").asLong() != rows) {
            throw new IllegalStateException("the import did not complete every row: " + batch);
        }
        System.out.printf("sluice, %s: %.2f s (upload %.2f s, %s; this JVM's CPU %.2f s)%n", what, seconds, upload,
                JobStages.of(http, KEY, job), cpu);
        return seconds;
    }

    /** CPU time of this JVM: the server, and on SQLite the database too; steadier than wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double psqlCopy(String jdbcUrl, Path csv) throws Exception {
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected URL " + jdbcUrl);
        }
        List<String> base = List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", m.group(1), "-p", m.group(2),
                "-U", "postgres", "-d", m.group(3));
        run(base, "CREATE TABLE bench_copy (sluice_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " id BIGINT NOT NULL, sku TEXT, name TEXT, price NUMERIC, qty BIGINT, active BOOLEAN, since DATE,"
                + " email TEXT); CREATE UNIQUE INDEX idx_bench_copy_key ON bench_copy (id);");
        long start = System.nanoTime();
        run(base, "\\copy bench_copy (id, sku, name, price, qty, active, since, email) FROM '" + csv
                + "' WITH (FORMAT csv, HEADER true)");
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The {@code sqlite3} shell's fastest way into a like table: {@code .import} into a temporary table of the file's
     * columns, then one {@code INSERT ... SELECT}; the clock runs over both. (Until 2026-12-06 the bench imported
     * through a view with an INSTEAD OF trigger, a row at a time: 3.24 to 3.30 s against 2.20 to 2.22 s this way.)
     */
    private static double sqliteImport(Path db, Path csv) throws Exception {
        run(List.of("sqlite3", db.toString()), "CREATE TABLE bench_copy (sluice_id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " id INTEGER NOT NULL, sku TEXT, name TEXT, price TEXT, qty INTEGER, active INTEGER, since TEXT,"
                + " email TEXT); CREATE UNIQUE INDEX idx_bench_copy_key ON bench_copy (id);");
        long start = System.nanoTime();
        run(List.of("sqlite3", db.toString()), "CREATE TEMP TABLE bench_in (id INTEGER, sku TEXT, name TEXT,"
                + " price TEXT, qty INTEGER, active INTEGER, since TEXT, email TEXT);\n"
                + ".import --csv --skip 1 " + csv + " bench_in\n"
                + "INSERT INTO bench_copy (id, sku, name, price, qty, active, since, email)"
                + " SELECT id, sku, name, price, qty, active, since, email FROM bench_in;\n");
        return (System.nanoTime() - start) / 1e9;
    }

    private static void run(List<String> command, String input) throws Exception {
        List<String> full = new ArrayList<>(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "postgres");
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
