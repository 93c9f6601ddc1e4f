package dev.sluice.core.verify.smtp;

import java.time.Duration;

/**
 * How temporary SMTP answers (4xx: greylisting, busy) are retried: up to {@code attempts} tries in all,
 * {@code delay} apart. What is still temporary after the last try is reported as such.
 */
public record RetryPolicy(int attempts, Duration delay) {

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
    }
}
