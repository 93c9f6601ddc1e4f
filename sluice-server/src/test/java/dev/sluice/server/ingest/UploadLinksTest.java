package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
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
 * Upload links over time: an expired link is not handed out again, a fresh one is issued on request, and a
 * batch whose link expired long ago ends as failed ({@code upload_expired}). The server's clock is moved
 * by the test, so nothing waits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class UploadLinksTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_upload_links";
    static final Duration TTL = Duration.ofHours(8);
    static final Duration ABANDON_AFTER = Duration.ofHours(72);
    static final byte[] FILE = "email\nann@example.com\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.ingest.upload-url-ttl", () -> TTL.toString());
        registry.add("sluice.ingest.abandon-upload-after", () -> ABANDON_AFTER.toString());
    }

    /** A clock the test moves forward; every capability reads it. */
    static final class MovingClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MovingClock movingClock() {
            return new MovingClock();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MovingClock clock;

    @Autowired
    AbandonedUploads abandonedUploads;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void expired_link_is_not_handed_out_again_and_a_fresh_one_takes_the_file() {
        // given a batch-file whose link expired
        String jobId = createJob();
        JsonNode created = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json();
        String batchId = created.get("id").asString();
        String oldUrl = created.get("upload_url").asString();
        clock.advance(TTL.plusMinutes(1));

        // when the client reads the batch, then asks for a fresh link
        JsonNode read = batch(jobId, batchId);
        Http.Response renewed = http.postJson("/api/v1/jobs/" + jobId + "/batch-files/" + batchId + "/upload-url",
                ADMIN_KEY, "");

        // then the read carries no dead link, the old one answers 410, the fresh one works once
        assertThat(read.get("status").asString()).isEqualTo("waiting_for_upload");
        assertThat(read.get("upload_url").isNull()).isTrue();
        assertThat(http.put(oldUrl, FILE).status()).isEqualTo(410);
        assertThat(renewed.status()).isEqualTo(200);
        String freshUrl = renewed.json().get("upload_url").asString();
        assertThat(freshUrl).isNotEqualTo(oldUrl);
        assertThat(Instant.parse(renewed.json().get("upload_expires_at").asString()))
                .isEqualTo(clock.instant().plus(TTL).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(batch(jobId, batchId).get("upload_url").asString()).isEqualTo(freshUrl);
        assertThat(http.put(freshUrl, FILE).status()).isEqualTo(200);

        // and a batch that has its file gets no new link
        Http.Response again = http.postJson("/api/v1/jobs/" + jobId + "/batch-files/" + batchId + "/upload-url",
                ADMIN_KEY, "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("conflict");
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/batch-files/bat_00000000000000000000000000/upload-url",
                ADMIN_KEY, "").status()).isEqualTo(404);
    }

    @Test
    void batch_whose_link_expired_long_ago_fails_with_upload_expired_and_a_recent_one_keeps_waiting() {
        // given two batch-files: one created now, one whose link expired longer ago than the grace
        String jobId = createJob();
        String old = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json().get("id").asString();
        clock.advance(TTL.plus(ABANDON_AFTER).plusMinutes(1));
        String recent = http.postJson("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "{}").json().get("id").asString();
        clock.advance(TTL.plusMinutes(1));

        // when the sweep runs
        abandonedUploads.failAbandoned(clock.instant());

        // then the old batch ended with the reason, the recent one may still get a fresh link
        JsonNode failed = batch(jobId, old);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("error").get("code").asString()).isEqualTo("upload_expired");
        assertThat(batch(jobId, recent).get("status").asString()).isEqualTo("waiting_for_upload");
        JsonNode job = http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).json();
        assertThat(job.get("batches").get("failed").asLong()).isEqualTo(1);
        assertThat(job.get("batches").get("waiting_for_upload").asLong()).isEqualTo(1);
        assertThat(http.postJson("/api/v1/jobs/" + jobId + "/batch-files/" + old + "/upload-url", ADMIN_KEY, "")
                .status()).isEqualTo(409);
    }

    private String createJob() {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"links\",\"operation\":\"verify\"}");
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private JsonNode batch(String jobId, String batchId) {
        return http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId, ADMIN_KEY).json();
    }
}
