package dev.sluice.server.delivery;

import java.time.Instant;

/**
 * One try at sending a delivery: the receiver's HTTP status, or {@code null} with an {@code error} when no
 * answer came (refused URL, connection failure, timeout).
 */
public record DeliveryAttempt(String deliveryId, int attempt, Instant at, Integer statusCode, String error,
        long durationMs) {
}
