package dev.sluice.server.api;

import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.Page;
import dev.sluice.server.store.UriPasswords;
import dev.sluice.server.delivery.Deliveries;
import dev.sluice.server.delivery.Deliveries.DeliveryLog;
import dev.sluice.server.delivery.Deliveries.WebhookSecret;
import dev.sluice.server.delivery.Delivery;
import dev.sluice.server.delivery.DeliveryAttempt;
import dev.sluice.server.delivery.DeliveryStatus;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.problem.ProblemException;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications: a job's deliveries with every attempt, redelivery, and the account's webhook signing
 * secret (read, rotate).
 */
@RestController
class DeliveriesController {

    private final JobService jobs;
    private final Deliveries deliveries;
    private final JsonMapper json;

    DeliveriesController(JobService jobs, Deliveries deliveries, JsonMapper json) {
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.json = json;
    }

    record AttemptView(int attempt, Instant at, Integer statusCode, String error, long durationMs) {

        static AttemptView of(DeliveryAttempt a) {
            return new AttemptView(a.attempt(), a.at(), a.statusCode(), UriPasswords.mask(a.error()), a.durationMs());
        }
    }

    /** One delivery; {@code id} is the {@code webhook-id} the receiver sees on every attempt. */
    record DeliveryView(String id, String jobId, String batchId, String event, String url, String method,
            String status, int attemptCount, Instant nextAttemptAt, Integer lastStatusCode, String lastError,
            JsonNode payload, Instant createdAt, Instant deliveredAt, List<AttemptView> attempts) {
    }

    record SecretView(String secret, Instant createdAt) {

        static SecretView of(WebhookSecret s) {
            return new SecretView(s.secret(), s.createdAt());
        }
    }

    @GetMapping("/api/v1/jobs/{jobId}/deliveries")
    Page<DeliveryView> list(Caller caller, @PathVariable String jobId) {
        Job job = job(caller, jobId);
        return new Page<>(deliveries.ofJob(caller.accountId(), job.id()).stream().map(this::view).toList(), null);
    }

    @PostMapping("/api/v1/jobs/{jobId}/deliveries/{deliveryId}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryView redeliver(Caller caller, @PathVariable String jobId, @PathVariable String deliveryId) {
        Job job = job(caller, jobId);
        return deliveries.redeliver(caller.accountId(), job.id(), deliveryId).map(this::view)
                .orElseThrow(() -> ProblemException.notFound("delivery", deliveryId));
    }

    @GetMapping("/api/v1/webhook-secret")
    SecretView secret(Caller caller) {
        AccountsController.requireCredentialRights(caller, "read the webhook secret");
        return SecretView.of(deliveries.secret(caller.accountId()));
    }

    @PostMapping("/api/v1/webhook-secret/rotate")
    SecretView rotate(Caller caller) {
        AccountsController.requireCredentialRights(caller, "rotate the webhook secret");
        return SecretView.of(deliveries.rotateSecret(caller.accountId()));
    }

    private Job job(Caller caller, String jobId) {
        return jobs.find(caller, jobId).orElseThrow(() -> ProblemException.notFound("job", jobId));
    }

    private DeliveryView view(DeliveryLog log) {
        Delivery d = log.delivery();
        boolean pending = d.status() == DeliveryStatus.PENDING;
        return new DeliveryView(d.id(), d.jobId(), d.batchId(), d.eventType(), UriPasswords.mask(d.url()), d.method(),
                d.status().wire(), d.attempts(), pending ? d.nextAttemptAt() : null, d.lastStatusCode(),
                UriPasswords.mask(d.lastError()),
                json.readTree(d.payload()), d.createdAt(), d.deliveredAt(),
                log.attempts().stream().map(AttemptView::of).toList());
    }
}
