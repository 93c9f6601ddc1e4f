package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestBlobs;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A result's signed download gives the stored result byte for byte: sent by the connector from the file on local
 * disk, streamed through the JVM from a bucket. A HEAD answers the same headers without a body.
 */
class ResultDownloadTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_result_downloads";

    static TestServer local;
    static TestServer bucket;

    @BeforeAll
    static void start_servers() {
        local = TestServer.start(TestDatabase.SQLITE, TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.drop.enabled", "false")));
        bucket = TestServer.start(TestDatabase.SQLITE, TestBlobs.S3, TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.drop.enabled", "false")));
    }

    @AfterAll
    static void stop_servers() {
        local.close();
        bucket.close();
    }

    /** Some 1.5 MB of rows: repeats, a quoted comma, non-ASCII names, a syntax error every hundredth row. */
    private static byte[] list() {
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 1; i <= 20_000; i++) {
            String email = i % 100 == 0 ? "broken" + i + "@@example.com" : "user" + (i % 7_000) + "@example.com";
            csv.append(email).append(',').append(i % 3 == 0 ? "\"Müller, Jörg " + i + "\"" : "Zoë " + i).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_download_is_the_stored_result_byte_for_byte_from_disk_and_from_a_bucket() throws Exception {
        byte[] list = list();

        Downloaded fromDisk = verify(local, list);
        Downloaded fromBucket = verify(bucket, list);

        assertThat(fromDisk.body()).hasSizeGreaterThan(1_000_000).isEqualTo(fromDisk.stored());
        assertThat(fromBucket.body()).isEqualTo(fromBucket.stored()).isEqualTo(fromDisk.body());
        assertThat(fromDisk.contentLength()).isEqualTo(fromDisk.stored().length);
        assertThat(fromDisk.headLength()).isEqualTo(fromDisk.stored().length);
        assertThat(fromDisk.headBody()).isEmpty();
        assertThat(fromBucket.headLength()).isEqualTo(fromBucket.stored().length);
        assertThat(fromBucket.headBody()).isEmpty();
    }

    private record Downloaded(byte[] body, long contentLength, byte[] stored, long headLength, byte[] headBody) {
    }

    private static Downloaded verify(TestServer server, byte[] list) throws IOException, InterruptedException {
        Http http = server.http();
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "downloads");
        String jobId = http.postJson("/api/v1/jobs", tenant.key(), "{\"name\":\"download\",\"operation\":\"verify\"}")
                .json().get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", tenant.key(), "file", "list.csv",
                list).json().get("id").asString();
        JsonNode batch = Batches.awaitFinal(http, tenant.key(), jobId, batchId);
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        String link = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", tenant.key()).json()
                .get("download_url").asString();
        URI uri = URI.create(link.startsWith("http") ? link : "http://127.0.0.1:" + server.port() + link);
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> got = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).isEqualTo(200);
            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri).HEAD().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            byte[] stored;
            String key = BlobKeys.result(server.bean(BatchLifecycle.class).find(batchId).orElseThrow());
            try (InputStream in = server.bean(BlobStorage.class).open(key)) {
                stored = in.readAllBytes();
            }
            return new Downloaded(got.body(), got.headers().firstValueAsLong("Content-Length").orElse(-1), stored,
                    head.headers().firstValueAsLong("Content-Length").orElse(-1), head.body());
        }
    }
}
