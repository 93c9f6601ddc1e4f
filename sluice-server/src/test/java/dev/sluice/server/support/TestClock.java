package dev.sluice.server.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves forward: it ticks with the system clock, plus every {@link #advance} so far. Start a
 * {@link TestServer} with it ({@link TestServer#start(TestDatabase, TestClock, java.util.Map)}) and the server
 * reads it wherever it asks the time (the {@code Clock} bean), so a test lets hours pass without sleeping
 * and without rewriting timestamps in SQL. Moving it moves every batch, link and login of that server:
 * give each test that moves time a server of its own, never the one a contract class shares.
 */
public final class TestClock extends Clock {

    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    /** A clock at the system's time, in UTC, not moved yet. */
    public TestClock() {
        this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    private TestClock(AtomicReference<Duration> offset, ZoneId zone) {
        this.offset = offset;
        this.zone = zone;
    }

    /** Moves this clock forward by {@code duration}; the server sees the new time at its next read. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a test clock moves forward only, not by " + duration);
        }
        offset.updateAndGet(current -> current.plus(duration));
    }

    /** How far this clock has been moved ahead of the system clock. */
    public Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving time seen in {@code zone}: advancing either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(offset, zone);
    }
}
