package dev.sluice.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.storage.BlobInfo;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.BlobTooLargeException;
import dev.sluice.server.storage.LocalBlobStorage;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A disk that fills up under the server: the blob files' I/O answers "No space left on device" as the
 * operating system does (ENOSPC), below everything of ours. Requests answer 507 instead of 500, a task
 * that fails for lack of space waits for room instead of failing its batch, and deletes still work.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class DiskFullTest {

    static final String KEY = "sk_test_disk_full";

    @TempDir
    static Path dataDir;

    /** Which writes the disk refuses now. */
    enum Full { NOTHING, EVERY_WRITE, ALL_BUT_UPLOADS }

    static volatile Full full = Full.NOTHING;
    static final AtomicInteger refusedWrites = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.job.max-attempts", () -> "2");
    }

    /** Local blobs whose writes fail with the operating system's ENOSPC while {@link #full} says so. */
    @TestConfiguration
    static class FillingDisk {
        @Bean
        @Primary
        BlobStorage fillingDisk() {
            return new LocalBlobStorage(dataDir.resolve("blobs")) {
                @Override
                public BlobInfo put(String key, InputStream in, long maxBytes) throws IOException, BlobTooLargeException {
                    if (full == Full.EVERY_WRITE) {
                        throw noSpace();
                    }
                    return super.put(key, in, maxBytes);
                }

                @Override
                public OutputStream create(String key) throws IOException {
                    if (full != Full.NOTHING) {
                        throw noSpace();
                    }
                    return super.create(key);
                }

                @Override
                public void write(String key, BlobWriter writer) throws IOException {
                    if (full != Full.NOTHING) {
                        throw noSpace();
                    }
                    super.write(key, writer);
                }
            };
        }

        private static IOException noSpace() {
            refusedWrites.incrementAndGet();
            return new IOException("No space left on device");
        }
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @AfterEach
    void room_again() {
        full = Full.NOTHING;
    }

    @Test
    void uploads_on_a_full_disk_answer_507_not_500() {
        // given
        String jobId = createJob("full");
        full = Full.EVERY_WRITE;

        // when
        Http.Response multipart = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "a.csv",
                "id,email\n1,ann@example.com\n".getBytes(StandardCharsets.UTF_8));
        Http.Response inline = http.postJson("/api/v1/jobs/" + jobId + "/batches", KEY, "{\"records\":[\"ann@example.com\"]}");

        // then
        for (Http.Response response : List.of(multipart, inline)) {
            assertThat(response.status()).isEqualTo(507);
            assertThat(response.json().get("code").asString()).isEqualTo("insufficient_storage");
        }
    }

    @Test
    void a_batch_whose_work_fails_for_lack_of_space_waits_for_room_and_then_completes() {
        // given a stored upload whose loading cannot write its chunks (2 attempts would fail the batch)
        String jobId = createJob("waits");
        full = Full.ALL_BUT_UPLOADS;
        int before = refusedWrites.get();
        JsonNode batch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "a.csv",
                "id,email\n1,ann@example.com\n2,bob@example.com\n".getBytes(StandardCharsets.UTF_8)).json();
        String batchId = batch.get("id").asString();

        // when more attempts than sluice.job.max-attempts have failed for lack of space
        Await.until("three refused writes", () -> refusedWrites.get() - before >= 3);
        String during = status(jobId, batchId);
        full = Full.NOTHING;

        // then the batch was still waiting, and completes once there is room
        assertThat(during).isIn("queued", "loading");
        Await.until("a final batch", () -> status(jobId, batchId).equals("completed") || status(jobId, batchId).equals("failed"));
        assertThat(status(jobId, batchId)).isEqualTo("completed");
    }

    @Test
    void a_job_is_deleted_on_a_full_disk() {
        // given
        String jobId = createJob("delete me");
        http.postJson("/api/v1/jobs/" + jobId + "/batches", KEY, "{\"records\":[\"ann@example.com\"]}");
        full = Full.EVERY_WRITE;

        // when
        Http.Response deleted = http.delete("/api/v1/jobs/" + jobId, KEY);

        // then
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get("/api/v1/jobs/" + jobId, KEY).status()).isEqualTo(404);
    }

    private String status(String jobId, String batchId) {
        return http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId, KEY).json().get("status").asString();
    }

    private String createJob(String name) {
        Http.Response created = http.postJson("/api/v1/jobs", KEY, "{\"name\":\"" + name + "\",\"operation\":\"verify\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

}
