package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The task engine's pool after a storage or database failure: the next task waits a pause that doubles
 * with each failure in a row, and the first success ends the pauses. Pauses are recorded, not slept.
 */
class PausingTaskExecutorTest {

    /** What sqlite-jdbc throws on a full disk, as db-scheduler's claim passes it on. */
    static final RuntimeException DISK_FULL = new RuntimeException(new SQLException(
            "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)", null, 13));

    final MovableClock clock = new MovableClock();
    final List<Duration> pauses = new ArrayList<>();
    final PausingTaskExecutor executor = new PausingTaskExecutor(1, 0, clock, pause -> {
        pauses.add(pause);
        clock.advance(pause);
    });

    @AfterEach
    void shut_down() {
        executor.shutdownNow();
    }

    @Test
    void a_task_after_a_full_disk_failure_waits_and_the_pauses_double_while_failures_go_on() {
        // given a claim failing on a full disk, three times in a row
        for (int i = 0; i < 3; i++) {
            executor.runPausing(() -> {
                throw DISK_FULL;
            });
        }
        AtomicInteger ran = new AtomicInteger();

        // when the next task comes
        executor.runPausing(ran::incrementAndGet);

        // then no failure escaped, each task after a failure waited, twice as long each time
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(ran).hasValue(1);
    }

    @Test
    void a_success_ends_the_pauses() {
        // given a failure, then a success
        executor.runPausing(() -> {
            throw DISK_FULL;
        });
        executor.runPausing(() -> { });
        pauses.clear();

        // when more tasks run
        executor.runPausing(() -> { });
        executor.runPausing(() -> { });

        // then none waits
        assertThat(pauses).isEmpty();
    }

    @Test
    void a_database_failure_pauses_too_and_other_failures_pass_through_unchanged() {
        // given
        executor.runPausing(() -> {
            throw new IllegalStateException("wrapped", new SQLException("connection refused", "08001"));
        });
        IllegalArgumentException bug = new IllegalArgumentException("a bug, not the disk");

        // when / then
        assertThatThrownBy(() -> executor.runPausing(() -> {
            throw bug;
        })).isSameAs(bug);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void pauses_stop_growing_at_the_maximum() {
        assertThat(PausingTaskExecutor.pauseAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PausingTaskExecutor.pauseAfter(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(PausingTaskExecutor.pauseAfter(7)).isEqualTo(PausingTaskExecutor.MAX_PAUSE);
        assertThat(PausingTaskExecutor.pauseAfter(10_000)).isEqualTo(PausingTaskExecutor.MAX_PAUSE);
    }

    @Test
    void a_failure_on_a_pool_thread_neither_kills_it_nor_reaches_the_uncaught_handler() throws Exception {
        // given a real pool thread running a failing claim
        PausingTaskExecutor pool = new PausingTaskExecutor(1, 0, clock, pause -> clock.advance(pause));
        List<Thread> threads = new ArrayList<>();
        try {
            pool.execute(() -> {
                threads.add(Thread.currentThread());
                throw DISK_FULL;
            });
            java.util.concurrent.CountDownLatch next = new java.util.concurrent.CountDownLatch(1);

            // when the next task runs
            pool.execute(() -> {
                threads.add(Thread.currentThread());
                next.countDown();
            });

            // then it ran on the same, still living thread
            assertThat(next.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(threads).hasSize(2);
            assertThat(threads.get(1)).isSameAs(threads.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A clock the recorded pauses move forward. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-15T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
