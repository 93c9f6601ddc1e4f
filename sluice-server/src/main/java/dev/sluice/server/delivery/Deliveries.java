package dev.sluice.server.delivery;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The notifications facade: a job's delivery log, redelivery, and the account's signing secret. */
@Component
public class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    /** A compare-and-set lost to a sender settling the row is retried with the fresh row this often. */
    private static final int REDELIVER_TRIES = 5;

    /** A delivery and its attempts, oldest first. */
    public record DeliveryLog(Delivery delivery, List<DeliveryAttempt> attempts) {
    }

    /** An account's signing secret ({@code whsec_...}) and when it was made. */
    public record WebhookSecret(String secret, Instant createdAt) {
    }

    private final DeliveryStore store;
    private final WebhookSecrets secrets;
    private final SchedulerClient scheduler;
    private final TransactionTemplate tx;
    private final Clock clock;

    Deliveries(DeliveryStore store, WebhookSecrets secrets, SchedulerClient scheduler, TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.scheduler = scheduler;
        this.tx = tx;
        this.clock = clock;
    }

    /** The deliveries of one of the account's jobs, oldest first, each with its attempts. */
    public List<DeliveryLog> ofJob(String accountId, String jobId) {
        List<Delivery> deliveries = store.findByJob(accountId, jobId);
        Map<String, List<DeliveryAttempt>> attempts = store.attemptsOfJob(accountId, jobId).stream()
                .collect(Collectors.groupingBy(DeliveryAttempt::deliveryId));
        return deliveries.stream().map(d -> new DeliveryLog(d, attempts.getOrDefault(d.id(), List.of()))).toList();
    }

    /**
     * Starts a new round of attempts now, whatever the delivery's status, under the same id (the receiver
     * sees the same {@code webhook-id}). Empty when the account's job has no such delivery.
     */
    public Optional<DeliveryLog> redeliver(String accountId, String jobId, String deliveryId) {
        Optional<Delivery> moved = tx.execute(status -> {
            for (int i = 0; i < REDELIVER_TRIES; i++) {
                Optional<Delivery> current = store.findById(deliveryId)
                        .filter(d -> d.accountId().equals(accountId) && d.jobId().equals(jobId));
                if (current.isEmpty()) {
                    return Optional.<Delivery>empty();
                }
                Instant now = clock.instant();
                if (store.redeliver(current.get(), now)) {
                    Delivery fresh = store.findById(deliveryId).orElseThrow();
                    scheduler.scheduleIfNotExists(DeliveryTasks.instance(deliveryId, fresh.redeliveries(), now));
                    return Optional.of(fresh);
                }
            }
            throw new IllegalStateException("delivery " + deliveryId + " kept changing while being redelivered; try again");
        });
        moved.ifPresent(d -> log.info("notification redelivery requested: job={} batch={} delivery={}", d.jobId(),
                d.batchId(), d.id()));
        return moved.map(d -> new DeliveryLog(d, store.attempts(d.id())));
    }

    /** The account's signing secret, created now if it has none yet. */
    public WebhookSecret secret(String accountId) {
        WebhookSecretStore.Secret secret = secrets.getOrCreate(accountId);
        return new WebhookSecret(secret.secret(), secret.createdAt());
    }

    /** Replaces the account's signing secret; attempts from now on are signed with the new one. */
    public WebhookSecret rotateSecret(String accountId) {
        WebhookSecretStore.Secret secret = secrets.rotate(accountId);
        log.info("webhook secret rotated: account={}", accountId);
        return new WebhookSecret(secret.secret(), secret.createdAt());
    }
}
