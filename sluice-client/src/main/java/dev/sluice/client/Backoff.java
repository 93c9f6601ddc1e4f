package dev.sluice.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a wait polls: the first pause is {@code initial}, each next one {@code factor} times longer, never
 * longer than {@code max}.
 */
public record Backoff(Duration initial, Duration max, double factor) {

    /** 200 ms, growing by half each time, up to 2 s: fast for small jobs, light on the server for long ones. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 1.5);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < initial <= max, was " + initial + " and " + max);
        }
        if (!(factor >= 1.0)) {
            throw new IllegalArgumentException("a backoff's factor is at least 1, was " + factor);
        }
    }

    /** The pause after {@code previous}. */
    public Duration next(Duration previous) {
        long millis = (long) Math.ceil(previous.toMillis() * factor);
        return millis >= max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
