package dev.sluice.server.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When to try a notification again: the first attempt goes at once, attempt {@code n + 1} waits
 * {@code delays[n - 1]} after attempt {@code n} failed, and after the last one the delivery is failed.
 * The default spreads 8 attempts over about a day (30s, 2m, 10m, 1h, 3h, 8h, 12h: 24h 42m 30s).
 */
public record RetryPolicy(List<Duration> delays) {

    /** The default waits, as configuration text. */
    public static final String DEFAULT_DELAYS = "30s,2m,10m,1h,3h,8h,12h";

    public static final RetryPolicy DEFAULT = new RetryPolicy(List.of(Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(8), Duration.ofHours(12)));

    public RetryPolicy {
        delays = List.copyOf(delays);
        for (Duration delay : delays) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retry delays must not be negative, got " + delay
                        + "; check sluice.delivery.retry-delays");
            }
        }
    }

    /** How many attempts a delivery gets before it is failed. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** The wait after failed attempt {@code attempt} (1-based), or empty when it was the last. */
    public Optional<Duration> delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        return attempt <= delays.size() ? Optional.of(delays.get(attempt - 1)) : Optional.empty();
    }
}
