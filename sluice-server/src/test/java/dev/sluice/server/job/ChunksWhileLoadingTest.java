package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Chunks processed while their batch loads give the result, byte for byte, and the counters that chunks processed
 * after the load give (an import: the same records, counters and outcomes): one server processes chunks during the load, another (with
 * {@code sluice.job.early-chunk-threads=0}) only after it. The first chunk a load cuts on an idle node is always
 * taken, so every batch here has at least one.
 */
class ChunksWhileLoadingTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_chunks_while_loading";

    /** Repeats within and across chunks of two records, a role address, a syntax error, a quoted cell. */
    static final String FILE = """
            email,n
            ann@example.com,1
             ann@EXAMPLE.com ,2
            John.Doe+news@gmail.com,3
            bob@example.org,4
            johndoe@googlemail.com,"5, quoted"
            not-an-address,6
            ann@example.com,7
            info@example.com,8
            bob@example.org,9
            not-an-address,10
            carl@example.net,11
            """;

    static TestServer early;
    static TestServer after;

    @BeforeAll
    static void start_servers() {
        early = TestServer.start(TestDatabase.SQLITE, TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "2"), Map.entry("sluice.drop.enabled", "false")));
        after = TestServer.start(TestDatabase.SQLITE, TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "2"), Map.entry("sluice.job.early-chunk-threads", "0"),
                Map.entry("sluice.drop.enabled", "false")));
    }

    @AfterAll
    static void stop_servers() {
        early.close();
        after.close();
    }

    @Test
    void chunks_processed_during_the_load_give_the_same_result_and_counters() {
        double before = adopted(early);

        Run whileLoading = run(early, FILE);
        Run afterLoading = run(after, FILE);

        assertThat(adopted(early)).isGreaterThan(before);
        assertThat(adopted(after)).isZero();
        assertThat(whileLoading.result()).isEqualTo(afterLoading.result());
        assertThat(whileLoading.records()).isEqualTo(afterLoading.records());
        assertThat(whileLoading.records().get("duplicates").asLong()).isEqualTo(4);
        assertThat(whileLoading.records().get("processed").asLong()).isEqualTo(11);
    }

    @Test
    void the_threads_that_ran_the_job_are_nicer_than_those_that_answered_its_requests() throws IOException {
        run(early, FILE);

        Map<String, Integer> nice = niceByThreadName();
        int server = WorkerPriority.currentNice();
        assertThat(nice).containsKey("sluice-early-1");
        nice.forEach((thread, value) -> {
            if (thread.startsWith("sluice-task-") || thread.startsWith("sluice-early-")) {
                assertThat(value).as(thread).isEqualTo(Math.max(server, JobProperties.DEFAULT_WORKER_NICE));
            } else if (thread.startsWith("http-nio-")) {
                assertThat(value).as(thread).isEqualTo(server);
            }
        });
    }

    /** The nice value of each thread of this JVM, by name (Linux's /proc; names cut at 15 characters). */
    private static Map<String, Integer> niceByThreadName() throws IOException {
        Map<String, Integer> nice = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    nice.put(name, Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                } catch (NoSuchFileException ended) {
                    // the thread ended while the list was read
                }
            }
        }
        return nice;
    }

    @Test
    void a_wider_record_after_a_chunk_was_processed_sends_that_chunk_to_be_processed_again() {
        // the fifth record widens the columns after the first chunk (two columns) was cut and taken
        String ragged = """
                email,n
                ann@example.com,1
                bob@example.org,2
                ann@example.com,3
                carl@example.net,4
                dora@example.com,5,extra
                bob@example.org,6
                """;
        double before = adopted(early);

        Run whileLoading = run(early, ragged);
        Run afterLoading = run(after, ragged);

        assertThat(whileLoading.result()).isEqualTo(afterLoading.result());
        assertThat(whileLoading.result().lines().findFirst().orElseThrow()).startsWith("email,n,column_3,");
        assertThat(whileLoading.result()).contains("ann@example.com,1,,");
        // chunks 0 and 1 were cut with two columns and are not adopted; only the last chunk may have been
        assertThat(adopted(early) - before).isLessThanOrEqualTo(1);
        assertThat(whileLoading.records()).isEqualTo(afterLoading.records());
    }

    @Test
    void an_import_processed_during_the_load_stages_and_applies_what_one_processed_after_it_does() {
        // a bad price, a missing key and a key given twice (the later wins for update), over chunks of two
        String file = """
                sku,name,price
                a1,Ann,1.50
                a2,Bob,cheap
                a3,Cy,3
                ,Dee,4
                a1,Ann again,5
                a6,Eve,6
                a7,Fay,7
                """;
        double before = adopted(early);

        Imported whileLoading = importFile(early, file);
        Imported afterLoading = importFile(after, file);

        assertThat(adopted(early)).isGreaterThan(before);
        assertThat(whileLoading).isEqualTo(afterLoading);
        assertThat(whileLoading.records().get("completed").asLong()).isEqualTo(4);
        assertThat(whileLoading.records().get("failed").asLong()).isEqualTo(2);
        assertThat(whileLoading.records().get("ignored").asLong()).isEqualTo(1);
        assertThat(whileLoading.rows()).contains("\"name\":\"Ann again\"");
    }

    private record Imported(JsonNode records, String outcomes, String rows) {
    }

    private static Imported importFile(TestServer server, String file) {
        Http http = server.http();
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "import-while-loading");
        assertThat(http.postJson("/api/v1/datasets", tenant.key(), "{\"name\":\"products\",\"columns\":["
                + "{\"name\":\"sku\",\"type\":\"string\",\"required\":true},"
                + "{\"name\":\"name\",\"type\":\"string\",\"required\":false},"
                + "{\"name\":\"price\",\"type\":\"decimal\",\"required\":false}],\"key\":[\"sku\"]}").status())
                .isEqualTo(201);
        String jobId = http.postJson("/api/v1/jobs", tenant.key(), "{\"name\":\"early\",\"operation\":\"import\","
                + "\"options\":{\"dataset\":\"products\",\"importType\":\"update\",\"source\":{\"headers\":true}}}")
                .json().get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", tenant.key(), "file", "products.csv",
                file.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        JsonNode batch = Batches.awaitFinal(http, tenant.key(), jobId, batchId);
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        String outcomes = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/outcomes?limit=100",
                tenant.key()).json().get("items").toString();
        String rows = http.get("/api/v1/datasets/products/records?limit=100", tenant.key()).json().get("items")
                .toString();
        return new Imported(batch.get("records"), outcomes, rows);
    }

    private record Run(String result, JsonNode records) {
    }

    private static Run run(TestServer server, String file) {
        Http http = server.http();
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "while-loading");
        String jobId = http.postJson("/api/v1/jobs", tenant.key(), "{\"name\":\"early\",\"operation\":\"verify\"}")
                .json().get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", tenant.key(), "file", "list.csv",
                file.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        JsonNode batch = Batches.awaitFinal(http, tenant.key(), jobId, batchId);
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", tenant.key()).json();
        return new Run(http.get(result.get("download_url").asString(), null).text(), batch.get("records"));
    }

    private static double adopted(TestServer server) {
        return server.bean(MeterRegistry.class).counter(JobMetrics.CHUNKS_WHILE_LOADING).count();
    }
}
