package dev.sluice.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A data disk under its free-space reserve, for real: the reserve is set above any disk's size, so the
 * real free space of the test's data directory is under it. New uploads answer 507, the storage
 * readiness component is DOWN, and deleting a job, the way to make room, still works.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class DiskReserveTest {

    static final String KEY = "sk_test_disk_reserve";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.storage.min-free-space", () -> "1000000TB");
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void every_way_of_uploading_answers_507_with_a_clear_problem_and_keeps_nothing() {
        // given a job (creating one stores no file)
        String jobId = createJob("{\"name\":\"short of space\",\"operation\":\"verify\"}");
        byte[] csv = "id,email\n1,ann@example.com\n".getBytes(StandardCharsets.UTF_8);

        // when a file comes by multipart, by inline records and by an upload link
        Http.Response multipart = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", KEY, "file", "a.csv", csv);
        Http.Response inline = http.postJson("/api/v1/jobs/" + jobId + "/batches", KEY,
                "{\"records\":[\"ann@example.com\"]}");
        JsonNode ticket = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", KEY, "{}").json();
        Http.Response put = http.put(ticket.get("upload_url").asString(), csv);

        // then each is refused with 507 and the same code, saying what to do
        for (Http.Response response : new Http.Response[] {multipart, inline, put}) {
            assertThat(response.status()).isEqualTo(507);
            assertThat(response.json().get("code").asString()).isEqualTo("insufficient_storage");
            assertThat(response.json().get("detail").asString()).contains("short of disk space").contains("delete jobs");
        }
        // and the link's batch still waits for its file
        JsonNode batch = http.get("/api/v1/jobs/" + jobId + "/batches/" + ticket.get("id").asString(), KEY).json();
        assertThat(batch.get("status").asString()).isEqualTo("waiting_for_upload");
    }

    @Test
    void a_job_fetching_its_file_is_refused_with_507_before_anything_is_fetched() {
        // when (nothing listens on port 9 of loopback: a fetch attempt would not even reach a server)
        Http.Response created = http.postJson("/api/v1/jobs", KEY,
                "{\"name\":\"fetch\",\"operation\":\"verify\",\"options\":{\"source\":{\"uri\":\"http://127.0.0.1:9/a.csv\"}}}");

        // then
        assertThat(created.status()).isEqualTo(507);
        assertThat(created.json().get("code").asString()).isEqualTo("insufficient_storage");
    }

    @Test
    void readiness_reports_storage_down_while_liveness_stays_up() {
        // when
        Http.Response readiness = http.get("/actuator/health/readiness", null);
        Http.Response liveness = http.get("/actuator/health/liveness", null);

        // then
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.json().get("components").get("storage").get("status").asString()).isEqualTo("DOWN");
        assertThat(readiness.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(liveness.status()).isEqualTo(200);
        // Spring's diskSpace component, which watched the working directory and said UP, is gone
        assertThat(http.get("/actuator/health", null).json().get("components").has("diskSpace")).isFalse();
    }

    @Test
    void deleting_a_job_still_works_under_the_reserve() {
        // given
        String jobId = createJob("{\"name\":\"to delete\",\"operation\":\"verify\"}");

        // when
        Http.Response deleted = http.delete("/api/v1/jobs/" + jobId, KEY);

        // then
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get("/api/v1/jobs/" + jobId, KEY).status()).isEqualTo(404);
    }

    private String createJob(String body) {
        Http.Response created = http.postJson("/api/v1/jobs", KEY, body);
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }
}
