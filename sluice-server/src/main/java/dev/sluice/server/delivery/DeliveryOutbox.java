package dev.sluice.server.delivery;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchListener;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Notification;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a notification's outbox row and schedules its first attempt, both inside the transaction that
 * moved the batch to its final status: the notification exists exactly when the status change does.
 *
 * <p>The payload, fixed at this moment and identical on every attempt:
 * {@code {"type":"batch.completed","timestamp":"<ISO-8601>","data":{"job_id","batch_id","status",
 * "records":{...},"error":{"code","message"}}}}; {@code error} only when the batch has one. A front door
 * that owns the job may give its seed's body instead ({@link NotificationPayload}). A batch with a listener of
 * its own ({@link BatchNotifications}) gets a second row, event {@code batch_file.<status>}, sent the same way.
 */
@Component
class DeliveryOutbox implements BatchListener {

    private static final Logger log = LoggerFactory.getLogger(DeliveryOutbox.class);

    /** Event types are {@code batch.} and the batch's final status, e.g. {@code batch.malformed}. */
    static final String BATCH_EVENT_PREFIX = "batch.";

    /**
     * The event of a batch's own listener: {@code batch_file.} and the final status. A type of its own keeps
     * one row per batch and event ({@code idx_deliveries_batch_id_event_type}) for each of the two listeners.
     */
    static final String BATCH_FILE_EVENT_PREFIX = "batch_file.";

    private final DeliveryStore store;
    // the scheduler runs the batch tasks whose worker calls this listener: resolve it late, not at wiring
    private final ObjectProvider<SchedulerClient> scheduler;
    // front doors read jobs through services that notify this listener: resolve them late too
    private final ObjectProvider<NotificationPayload> payloads;
    private final ObjectProvider<BatchNotifications> ownListeners;
    private final JsonMapper json;
    private final Clock clock;

    DeliveryOutbox(DeliveryStore store, ObjectProvider<SchedulerClient> scheduler,
            ObjectProvider<NotificationPayload> payloads, ObjectProvider<BatchNotifications> ownListeners,
            JsonMapper json, Clock clock) {
        this.store = store;
        this.scheduler = scheduler;
        this.payloads = payloads;
        this.ownListeners = ownListeners;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void batchFinished(Job job, Batch batch) {
        Instant now = clock.instant();
        Notification notification = job.notification();
        if (notification != null) {
            queue(job, batch, notification, BATCH_EVENT_PREFIX + batch.status().wire(), now);
        }
        ownListeners.orderedStream().map(listeners -> listeners.of(job, batch)).flatMap(Optional::stream).findFirst()
                .ifPresent(own -> queue(job, batch, own, BATCH_FILE_EVENT_PREFIX + batch.status().wire(), now));
    }

    private void queue(Job job, Batch batch, Notification notification, String type, Instant now) {
        String id = Ids.next("dlv");
        Object body = payloads.orderedStream().map(p -> p.render(job, batch)).flatMap(Optional::stream).findFirst()
                .orElseGet(() -> payload(type, now, job, batch));
        String payload = json.writeValueAsString(body);
        if (store.insert(id, job.accountId(), job.id(), batch.id(), notification.url(), notification.method(), type,
                payload, now)) {
            scheduler.getObject().scheduleIfNotExists(DeliveryTasks.instance(id, 0, now));
            log.info("notification queued: job={} batch={} delivery={} event={}", job.id(), batch.id(), id, type);
        }
    }

    private static Map<String, Object> payload(String type, Instant now, Job job, Batch batch) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", job.id());
        data.put("batch_id", batch.id());
        data.put("status", batch.status().wire());
        data.put("records", records(batch.records()));
        if (batch.errorCode() != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", batch.errorCode());
            error.put("message", batch.errorMessage());
            data.put("error", error);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", type);
        payload.put("timestamp", now.toString());
        payload.put("data", data);
        return payload;
    }

    /** The same counters, spelled the same way, as the API's batch view. */
    private static Map<String, Object> records(RecordCounts r) {
        RecordCounts counts = r == null ? RecordCounts.ZERO : r;
        Map<String, Object> records = new LinkedHashMap<>();
        records.put("total", counts.total());
        records.put("processed", counts.processed());
        records.put("valid", counts.valid());
        records.put("invalid", counts.invalid());
        records.put("accept_all", counts.acceptAll());
        records.put("unknown", counts.unknown());
        records.put("completed", counts.completed());
        records.put("failed", counts.failed());
        records.put("ignored", counts.ignored());
        records.put("duplicates", counts.duplicates());
        return records;
    }
}
