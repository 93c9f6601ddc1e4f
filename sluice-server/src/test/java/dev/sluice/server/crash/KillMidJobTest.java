package dev.sluice.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.ServerProcess;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A server SIGKILLed in the middle of a 200,000-row job, then started again on the same data directory,
 * finishes the job with exactly one result row per input row: none lost, none doubled. One row in ten repeats
 * the address of a row two chunks back, so chunks wait for and copy from earlier ones across the kill.
 */
class KillMidJobTest {

    static final int ROWS = 200_000;
    /** Rows 1505, 1515, ... repeat row {@code i - COPY_DISTANCE}'s address (domain in capitals). */
    static final int COPY_DISTANCE = 1001;
    static final long COPIES = (199_995 - 1_505) / 10 + 1;
    static final String KEY = "sk_test_crash_key";

    @TempDir
    Path dir;

    @Test
    void job_survives_sigkill_with_exactly_one_result_row_per_input_row() throws Exception {
        // given a running server and a 200,000-row file in small chunks (many tasks in flight)
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        Path input = writeInput(dir.resolve("input.csv"));
        Map<String, String> env = Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY);
        String[] args = {"--sluice.job.chunk-size=500", "--sluice.job.poll-interval=100ms",
                "--sluice.job.heartbeat-interval=1s", "--sluice.job.missed-heartbeats=4",
                "--sluice.verify.dns.enabled=false"};
        String jobId;
        String batchId;
        long processedAtKill;
        try (ServerProcess first = ServerProcess.start(data, log, env, args)) {
            Http http = new Http(first.baseUrl());
            jobId = http.postJson("/api/v1/jobs", KEY, "{\"name\":\"crash\",\"operation\":\"verify\"}").json()
                    .get("id").asString();
            JsonNode batchFile = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", KEY, "{}").json();
            batchId = batchFile.get("id").asString();
            assertThat(http.put(batchFile.get("upload_url").asString(), Files.readAllBytes(input)).status()).isEqualTo(200);

            // when it is killed while chunks are being processed
            JsonNode batch = awaitProgress(http, jobId, batchId);
            processedAtKill = batch.get("records").get("processed").asLong();
            first.kill();
        }
        System.out.printf("killed the server with %,d of %,d records processed%n", processedAtKill, ROWS);
        assertThat(processedAtKill).isBetween(1L, (long) ROWS - 1);

        // then a restarted server finishes the job
        try (ServerProcess second = ServerProcess.start(data, log, env, args)) {
            Http http = new Http(second.baseUrl());
            JsonNode batch = Batches.awaitFinal(http, KEY, jobId, batchId, Duration.ofMinutes(3));
            assertThat(batch.get("status").asString()).isEqualTo("completed");
            assertThat(batch.get("records").get("total").asLong()).isEqualTo(ROWS);
            assertThat(batch.get("records").get("processed").asLong()).isEqualTo(ROWS);
            assertThat(batch.get("records").get("valid").asLong() + batch.get("records").get("invalid").asLong())
                    .isEqualTo(ROWS);
            assertThat(batch.get("records").get("duplicates").asLong()).isEqualTo(COPIES);
            JsonNode job = http.get("/api/v1/jobs/" + jobId, KEY).json();
            assertThat(job.get("records").get("processed").asLong()).isEqualTo(ROWS);

            // and the result has each input row exactly once, in order
            JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", KEY).json();
            Path out = dir.resolve("result.csv");
            Files.write(out, http.get(result.get("download_url").asString(), null).bytes());
            long expected = 1;
            try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(out)) {
                boolean header = true;
                for (CsvRecord row : reader) {
                    if (header) {
                        header = false;
                        continue;
                    }
                    assertThat(row.getField(0)).isEqualTo(String.valueOf(expected));
                    assertThat(row.getField(2)).isEqualTo(String.valueOf(expected));
                    assertThat(row.getField(row.getFieldCount() - 1))
                            .isEqualTo(isCopy(expected) ? String.valueOf(expected - COPY_DISTANCE) : "");
                    expected++;
                }
            }
            assertThat(expected - 1).isEqualTo(ROWS);
        }
    }

    private static Path writeInput(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,email\n");
            for (int i = 1; i <= ROWS; i++) {
                w.write(i + "," + (isCopy(i) ? email(i - COPY_DISTANCE).toUpperCase(java.util.Locale.ROOT)
                        .replace("PERSON", "person").replace("NOBODY", "nobody") : email(i)) + "\n");
            }
        }
        return file;
    }

    private static boolean isCopy(long row) {
        return row > 1_500 && row % 10 == 5;
    }

    private static String email(long row) {
        return row % 7 == 0 ? "nobody" + row + "@" : "person" + row + "@example" + (row % 97) + ".com";
    }

    private static JsonNode awaitProgress(Http http, String jobId, String batchId) {
        return Await.until("progress of batch " + batchId, () -> Batches.get(http, KEY, jobId, batchId),
                batch -> batch.get("records").get("processed").asLong() > 0
                        || batch.get("status").asString().equals("completed"));
    }
}
