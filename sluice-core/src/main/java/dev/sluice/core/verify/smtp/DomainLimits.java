package dev.sluice.core.verify.smtp;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Per-domain limits shared by every call on one prober: a semaphore bounding open connections and a token
 * bucket bounding RCPT TO per second. One entry per domain ever probed stays for the prober's lifetime
 * (a few hundred bytes each).
 */
final class DomainLimits {

    private final int connectionsPerDomain;
    private final double rcptPerSecond;
    private final ConcurrentHashMap<String, Semaphore> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TokenBucket> rcpts = new ConcurrentHashMap<>();

    DomainLimits(int connectionsPerDomain, double rcptPerSecond) {
        this.connectionsPerDomain = connectionsPerDomain;
        this.rcptPerSecond = rcptPerSecond;
    }

    /** Blocks until the domain has a free connection slot; the returned action gives it back (once). */
    Runnable acquireConnection(String domain) throws InterruptedException {
        Semaphore semaphore = connections.computeIfAbsent(key(domain), d -> new Semaphore(connectionsPerDomain, true));
        semaphore.acquire();
        boolean[] released = {false};
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    semaphore.release();
                }
            }
        };
    }

    /** Blocks until the domain may be sent one more RCPT TO. */
    void acquireRcpt(String domain) throws InterruptedException {
        if (!(rcptPerSecond > 0)) {
            // 0 (or a nonsensical NaN) means no limit
            return;
        }
        rcpts.computeIfAbsent(key(domain), d -> new TokenBucket(rcptPerSecond)).take();
    }

    private static String key(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** Refills {@code rate} tokens per second up to a burst of max(1, rate). */
    private static final class TokenBucket {

        private final double rate;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double rate) {
            this.rate = rate;
            this.capacity = Math.max(1, rate);
            this.tokens = capacity;
        }

        void take() throws InterruptedException {
            while (true) {
                long waitNanos;
                synchronized (this) {
                    long now = System.nanoTime();
                    tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
                    last = now;
                    if (tokens >= 1) {
                        tokens -= 1;
                        return;
                    }
                    waitNanos = (long) Math.ceil((1 - tokens) / rate * 1e9);
                }
                TimeUnit.NANOSECONDS.sleep(Math.max(waitNanos, 1_000));
            }
        }
    }
}
