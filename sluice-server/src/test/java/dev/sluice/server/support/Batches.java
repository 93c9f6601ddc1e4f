package dev.sluice.server.support;

import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Waiting on batches through the native API ({@code GET /api/v1/jobs/{job}/batches/{batch}}). */
public final class Batches {

    /** The statuses a batch never leaves. */
    public static final Set<String> FINAL = Set.of("completed", "failed", "malformed", "cancelled");

    private Batches() {
    }

    /** The batch as the API shows it now. */
    public static JsonNode get(Http http, String key, String jobId, String batchId) {
        return http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId, key).json();
    }

    /** Waits until the batch is final and answers it as the API shows it. */
    public static JsonNode awaitFinal(Http http, String key, String jobId, String batchId) {
        return awaitFinal(http, key, jobId, batchId, Await.TIMEOUT);
    }

    /** Waits at most {@code timeout} until the batch is final and answers it as the API shows it. */
    public static JsonNode awaitFinal(Http http, String key, String jobId, String batchId, Duration timeout) {
        return Await.until("batch " + batchId + " final", timeout, () -> get(http, key, jobId, batchId),
                batch -> FINAL.contains(batch.get("status").asString()));
    }
}
