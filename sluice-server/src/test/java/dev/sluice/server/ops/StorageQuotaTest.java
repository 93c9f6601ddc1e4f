package dev.sluice.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
 * The per-account storage quota: the account's view shows the bytes it keeps (exactly its files on disk)
 * and the quota; an upload past the quota answers 507; deleting jobs makes room; other accounts are not
 * affected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class StorageQuotaTest {

    static final String ADMIN = "sk_test_storage_quota_admin";
    static final long QUOTA = 8 * 1024;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.storage.account-quota", () -> QUOTA + "B");
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void the_account_view_shows_what_it_keeps_an_upload_past_the_quota_answers_507_and_a_delete_makes_room()
            throws IOException {
        // given a fresh tenant
        Tenant created = Tenant.create(http, ADMIN, "tenant");
        String accountId = created.id();
        String key = created.key();
        assertThat(storage(accountId, key)).isEqualTo(List.of(0L, QUOTA));

        // when it verifies a small file (about 1 KB) to the end
        String jobId = createJob(key);
        JsonNode batch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "small.csv", csv(40)).json();
        awaitCompleted(key, jobId, batch.get("id").asString());

        // then its view counts exactly the files it keeps: input, chunks, parts, result (once the work after the
        // batch completed, such as removing chunk inputs, has settled)
        long onDisk = settledBytesOnDisk(accountId, key);
        assertThat(onDisk).isGreaterThan(1000);
        assertThat(storage(accountId, key)).isEqualTo(List.of(onDisk, QUOTA));

        // when a file that does not fit comes
        Http.Response tooMuch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "big.csv",
                csv(400));

        // then it is refused with 507 and nothing of it is kept
        assertThat(tooMuch.status()).isEqualTo(507);
        assertThat(tooMuch.json().get("code").asString()).isEqualTo("insufficient_storage");
        assertThat(tooMuch.json().get("detail").asString()).contains("storage quota is " + QUOTA + " bytes");
        assertThat(bytesOnDisk(accountId)).isEqualTo(onDisk);

        // and another account is not held by this one's usage
        assertThat(http.postFile("/api/v1/jobs/" + createJob(ADMIN) + "/batch-files", ADMIN, "file", "a.csv", csv(40))
                .status()).isEqualTo(201);

        // when the tenant deletes its job
        assertThat(http.delete("/api/v1/jobs/" + jobId, key).status()).isEqualTo(204);

        // then it keeps nothing and the same file fits again
        assertThat(storage(accountId, key)).isEqualTo(List.of(0L, QUOTA));
        assertThat(http.postFile("/api/v1/jobs/" + createJob(key) + "/batch-files", key, "file", "small.csv", csv(40))
                .status()).isEqualTo(201);
    }

    @Test
    void another_account_view_is_not_found_for_a_tenant() {
        // given
        String key = Tenant.create(http, ADMIN, "curious").key();
        String adminId = Tenant.create(http, ADMIN, "other").id();

        // when / then
        assertThat(http.get("/api/v1/accounts/" + adminId, key).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/accounts/" + adminId, ADMIN).status()).isEqualTo(200);
    }

    @Test
    void me_is_the_keys_own_account() {
        // given a tenant that knows only its key
        Tenant tenant = Tenant.create(http, ADMIN, "newcomer");

        // when it asks for "me"
        Http.Response response = http.get("/api/v1/accounts/me", tenant.key());

        // then it reads its own account, with its id
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("id").asString()).isEqualTo(tenant.id());
        assertThat(response.json().get("name").asString()).isEqualTo("newcomer");
    }

    private List<Long> storage(String accountId, String key) {
        Http.Response response = http.get("/api/v1/accounts/" + accountId, key);
        assertThat(response.status()).isEqualTo(200);
        JsonNode storage = response.json().get("storage");
        return List.of(storage.get("used_bytes").asLong(), storage.get("quota_bytes").asLong());
    }

    /** The account's bytes on disk once they agree with its view twice in a row (within 10 s). */
    private long settledBytesOnDisk(String accountId, String key) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long previous = -1;
        while (true) {
            long onDisk = bytesOnDisk(accountId);
            boolean agrees = storage(accountId, key).get(0) == onDisk;
            if (agrees && onDisk == previous || System.nanoTime() > deadline) {
                return onDisk;
            }
            previous = agrees ? onDisk : -1;
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static long bytesOnDisk(String accountId) throws IOException {
        Path root = dataDir.resolve("blobs/accounts").resolve(accountId);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static byte[] csv(int rows) {
        StringBuilder csv = new StringBuilder("id,email\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(",user").append(i).append("@example.com\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String createJob(String key) {
        Http.Response created = http.postJson("/api/v1/jobs", key, "{\"name\":\"quota\",\"operation\":\"verify\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private void awaitCompleted(String key, String jobId, String batchId) {
        assertThat(Batches.awaitFinal(http, key, jobId, batchId).get("status").asString()).isEqualTo("completed");
    }
}
