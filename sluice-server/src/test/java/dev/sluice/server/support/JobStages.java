package dev.sluice.server.support;

import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A bench's view of where a job's time went, read from its events: the load, the chunks and the completion. */
public final class JobStages {

    private JobStages() {
    }

    /** Queued to loaded, loaded to the last chunk processed, the last chunk to completed, as one line. */
    public static String of(Http api, String key, String jobId) {
        Instant queued = null;
        Instant loaded = null;
        Instant lastChunk = null;
        Instant completed = null;
        String cursor = "";
        do {
            JsonNode page = api.get("/api/v1/jobs/" + jobId + "/events?limit=100&cursor=" + cursor, key).json();
            for (JsonNode event : page.get("items")) {
                Instant at = Instant.parse(event.get("at").asString());
                switch (event.get("type").asString()) {
                    case "batch_queued" -> queued = at;
                    case "batch_loaded" -> loaded = at;
                    case "records_processed" -> lastChunk = at;
                    case "batch_completed" -> completed = at;
                    default -> {
                    }
                }
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        return String.format("load %.2f s, chunks %.2f s, completion %.2f s", seconds(queued, loaded),
                seconds(loaded, lastChunk), seconds(lastChunk, completed));
    }

    private static double seconds(Instant from, Instant to) {
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toMillis() / 1e3;
    }
}
