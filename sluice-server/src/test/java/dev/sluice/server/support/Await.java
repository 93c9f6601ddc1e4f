package dev.sluice.server.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way a test waits for something the server does on its own threads: it asks again until the
 * answer is there or the time is up, then fails with what it saw last. The timeout only bounds a broken
 * run; a test never asserts on how long the wait took. Polling lives here so no test class needs a sleep.
 */
public final class Await {

    /** How long a wait lasts before the test fails: generous, for a loaded build machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Waits until {@code condition} holds, for at most {@link #TIMEOUT}; {@code what} names it in the failure. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }

    /** Waits until {@code condition} holds, for at most {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, done -> done);
    }

    /** Reads {@code probe} until {@code done} accepts the value, and answers that value. */
    public static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
        return until(what, TIMEOUT, probe, done);
    }

    /** Reads {@code probe} until {@code done} accepts the value, for at most {@code timeout}. */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not reached within " + timeout.toSeconds() + " s; last seen: " + value);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
