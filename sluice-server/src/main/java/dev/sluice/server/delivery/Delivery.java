package dev.sluice.server.delivery;

import java.time.Instant;

/**
 * One notification in the outbox. Its {@code id} is the {@code webhook-id} on every attempt, redeliveries
 * included. {@code redeliveries} counts redelivery requests; {@code attemptsBeforeRound} is how many
 * attempts had been made when the current round (the first, or the latest redelivery) began, so that the
 * retry policy counts the round's attempts only.
 */
public record Delivery(
        String id,
        String accountId,
        String jobId,
        String batchId,
        String url,
        String method,
        String eventType,
        String payload,
        DeliveryStatus status,
        long version,
        int attempts,
        int redeliveries,
        int attemptsBeforeRound,
        Instant nextAttemptAt,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant deliveredAt) {
}
