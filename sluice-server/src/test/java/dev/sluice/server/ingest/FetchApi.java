package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** The few native API calls the fetch tests make: verify jobs fed by a source URI or an upload. */
final class FetchApi {

    private final Http http;
    private final String key;

    FetchApi(Http http, String key) {
        this.http = http;
        this.key = key;
    }

    /** A verify job whose batch fetches {@code uri}; answers the job id. */
    String fetchJob(String uri) {
        Http.Response created = http.postJson("/api/v1/jobs", key, "{\"name\":\"fetch\",\"operation\":\"verify\","
                + "\"output_format\":\"csv\",\"options\":{\"source\":{\"uri\":\"" + uri + "\"}}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** A verify job whose batch fetches {@code uri} and whose changes are posted to {@code notificationUrl}. */
    String fetchJob(String uri, String notificationUrl) {
        Http.Response created = http.postJson("/api/v1/jobs", key, "{\"name\":\"fetch\",\"operation\":\"verify\","
                + "\"output_format\":\"csv\",\"notification\":{\"url\":\"" + notificationUrl + "\",\"method\":\"POST\"},"
                + "\"options\":{\"source\":{\"uri\":\"" + uri + "\"}}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    Http.Response get(String path) {
        return http.get(path, key);
    }

    /** A verify job with {@code csv} uploaded as its batch; answers the job id. */
    String uploadJob(String csv) {
        Http.Response created = http.postJson("/api/v1/jobs", key,
                "{\"name\":\"upload\",\"operation\":\"verify\",\"output_format\":\"csv\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String jobId = created.json().get("id").asString();
        Http.Response batch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "list.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(batch.status()).as(batch.text()).isEqualTo(201);
        return jobId;
    }

    /** The job's only batch, once it exists. */
    JsonNode onlyBatch(String jobId) {
        return await(() -> {
            JsonNode items = http.get("/api/v1/jobs/" + jobId + "/batches", key).json().get("items");
            return items != null && !items.isEmpty() ? items.get(0) : null;
        }, "job " + jobId + " has no batch");
    }

    /** The job's only batch once it is final (completed, failed, malformed, cancelled). */
    JsonNode finalBatch(String jobId) {
        return Batches.awaitFinal(http, key, jobId, onlyBatch(jobId).get("id").asString());
    }

    /** Waits ({@link Await#TIMEOUT} at most) until {@code probe} answers something. */
    static <T> T await(java.util.function.Supplier<T> probe, String what) {
        return Await.until(what, probe, java.util.Objects::nonNull);
    }
}
