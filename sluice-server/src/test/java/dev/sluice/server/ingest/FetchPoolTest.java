package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Fetches never hold every worker: with two worker threads and sources that stall (headers, then a byte
 * a second, with the rate and idle limits set out of reach), another account's batch still loads and
 * completes. Without the fetch slots both workers would sit in the stalled reads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class FetchPoolTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_fetch_pool_tests";

    @TempDir
    static Path dataDir;

    static StallingHttpServer stalling;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        stalling = new StallingHttpServer(Duration.ofSeconds(1));
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.job.worker-threads", () -> "2");
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.enabled", () -> "false");
        registry.add("sluice.fetch.allow", () -> "127.0.0.1:" + stalling.port());
        // a source this slow is tolerated here, so only the slots can keep a worker free
        registry.add("sluice.fetch.read-timeout", () -> "10m");
        registry.add("sluice.fetch.min-rate", () -> "0");
        registry.add("sluice.fetch.deadline", () -> "10m");
    }

    @AfterAll
    static void stop() throws IOException {
        stalling.close();
    }

    @Test
    void two_stalling_sources_do_not_stop_another_accounts_batch_from_loading() {
        // given one account whose two jobs fetch from a source that stalls
        Http http = new Http("http://127.0.0.1:" + port);
        FetchApi admin = new FetchApi(http, ADMIN_KEY);
        String uri = "http://127.0.0.1:" + stalling.port() + "/list.csv";
        String first = admin.fetchJob(uri);
        String second = admin.fetchJob(uri);
        FetchApi.await(() -> stalling.connections() >= 1 ? true : null, "no fetch reached the stalling source");
        FetchApi.await(() -> "loading".equals(admin.onlyBatch(first).get("status").asString())
                && "loading".equals(admin.onlyBatch(second).get("status").asString()) ? true : null,
                "the stalled batches are not loading");

        // when another account uploads a file
        FetchApi other = new FetchApi(http, Tenant.create(http, ADMIN_KEY, "other tenant").key());
        String upload = other.uploadJob("email\nann@example.com\nbob@example.org\n");

        // then it loads and completes while the stalled fetches go on
        JsonNode batch = other.finalBatch(upload);
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        assertThat(batch.get("records").get("total").asLong()).isEqualTo(2);
        assertThat(admin.onlyBatch(first).get("status").asString()).isEqualTo("loading");
        assertThat(admin.onlyBatch(second).get("status").asString()).isEqualTo("loading");
        // one fetch slot with two workers: the second stalled batch waits without connecting
        assertThat(stalling.connections()).isEqualTo(1);
    }
}
