package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.account.AccountService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a start does before it serves: the admin account exists before the HTTP port answers (the test
 * looks at the store at the moment the web server reports it listens), and the partial writes a killed
 * process left in the blob folder are gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the server writes into its data directory until it stops: stop it before the directory is deleted
@DirtiesContext
class StartupTest {

    static final String BOOTSTRAP_KEY = "sk_test_bootstrap_before_port";
    /** The size of the upload a SIGKILL interrupted in the probe. */
    static final int ABANDONED_BYTES = 20 * 1024 * 1024;

    @TempDir
    static Path dataDir;

    /** What the store said about the bootstrap key when the port opened. */
    static final AtomicReference<Boolean> KEY_WORKED_WHEN_PORT_OPENED = new AtomicReference<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // given a data directory where a killed process left an upload half written, next to a published blob
        try {
            Path tmp = Files.createDirectories(dataDir.resolve("blobs/.tmp"));
            Files.write(tmp.resolve("0b9f3c1e-killed-upload.part"), new byte[ABANDONED_BYTES]);
            Path kept = Files.createDirectories(dataDir.resolve("blobs/accounts/acc_x/jobs/job_x/bat_x"));
            Files.writeString(kept.resolve("input-1"), "email\na@example.com\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> BOOTSTRAP_KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
    }

    @TestConfiguration
    static class PortWatch {
        @Bean
        ApplicationListener<WebServerInitializedEvent> portOpened(AccountService accounts) {
            return event -> KEY_WORKED_WHEN_PORT_OPENED.compareAndSet(null,
                    accounts.authenticate(BOOTSTRAP_KEY).isPresent());
        }
    }

    @Autowired
    AccountService accounts;

    @Autowired
    StartupBanner banner;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Test
    void admin_key_authenticates_from_the_moment_the_port_opens() {
        assertThat(KEY_WORKED_WHEN_PORT_OPENED.get()).isTrue();
        assertThat(accounts.authenticate(BOOTSTRAP_KEY)).get().extracting(c -> c.account().admin()).isEqualTo(true);
    }

    @Test
    void start_removes_partial_uploads_a_killed_process_left_and_keeps_published_blobs() throws IOException {
        try (var left = Files.list(dataDir.resolve("blobs/.tmp"))) {
            assertThat(left.toList()).isEmpty();
        }
        assertThat(dataDir.resolve("blobs/accounts/acc_x/jobs/job_x/bat_x/input-1")).exists();
    }

    @Test
    void banner_names_the_urls_the_data_the_storage_sftp_and_the_verification_stages() {
        String text = banner.text(4_200);

        assertThat(text.lines()).hasSize(9);
        assertThat(text).startsWith("Sluice ").contains("is ready in 4.2 s").contains("roles api+worker");
        String base = "http://localhost:" + port;
        assertThat(text).contains("  API       " + base + "/api/v1")
                .contains("  console   " + base + "/")
                .contains("  docs      " + base + "/api/docs  (OpenAPI " + base + "/api/v1/openapi.json)")
                .contains("  database  SQLite " + dataDir.toAbsolutePath().normalize().resolve("sluice.db"))
                .contains("  storage   local disk " + dataDir.toAbsolutePath().normalize().resolve("blobs"))
                .containsPattern("  SFTP      port \\d+")
                .contains("  verify    offline only (DNS and SMTP off); preflight: all checks skipped");
    }

    @Test
    void framework_info_logs_are_off_by_default_and_sluice_info_logs_on() {
        assertThat(org.slf4j.LoggerFactory.getLogger("org.springframework.boot").isInfoEnabled()).isFalse();
        assertThat(org.slf4j.LoggerFactory.getLogger("org.apache.catalina").isInfoEnabled()).isFalse();
        assertThat(org.slf4j.LoggerFactory.getLogger("org.springframework.boot").isWarnEnabled()).isTrue();
        assertThat(org.slf4j.LoggerFactory.getLogger("dev.sluice.server.job.BatchWorker").isInfoEnabled()).isTrue();
    }

    @Test
    void database_urls_in_the_banner_lose_their_credentials() {
        assertThat(StartupBanner.withoutSecrets("jdbc:postgresql://db:5432/sluice?user=ann&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/sluice?user=***&password=***&ssl=true");
        assertThat(StartupBanner.withoutSecrets("postgresql://ann:s3cret@db/sluice")).isEqualTo("postgresql://db/sluice");
    }
}
