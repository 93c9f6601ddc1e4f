package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One thread for early chunks: a chunk cut while it is busy waits for it, and one more is left to its task. */
class EarlyChunksTest {

    static final List<String> COLUMNS = List.of("email");
    static final RecordCounts ONE = new RecordCounts(0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);

    final EarlyChunks early = new EarlyChunks(new JobProperties(10_000, 0, Duration.ofMillis(500),
            Duration.ofSeconds(5), 6, 5, Duration.ofHours(72), Duration.ofMinutes(10), 1, 0));

    @AfterEach
    void stop() {
        early.destroy();
    }

    @Test
    void a_chunk_cut_while_the_thread_is_busy_waits_and_is_processed_before_the_load_ends() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        EarlyChunks.Load load = early.load();

        CountDownLatch releaseFirst = new CountDownLatch(1);
        boolean first = offerRunning(load, releaseFirst, runs);
        // the thread is busy: the second chunk waits for it, the third finds one waiting already
        boolean second = load.offer(1, COLUMNS, 0, () -> {
            runs.incrementAndGet();
            return Optional.of(ONE);
        });
        boolean third = load.offer(2, COLUMNS, 0, () -> {
            runs.incrementAndGet();
            return Optional.of(ONE);
        });
        releaseFirst.countDown();
        awaitRuns(runs, 2);
        load.await();

        assertThat(List.of(first, second, third)).containsExactly(true, true, false);
        assertThat(runs).hasValue(2);
        assertThat(load.adopted(COLUMNS, 0)).isEqualTo(Map.of(0, ONE, 1, ONE));
    }

    @Test
    void a_chunk_still_waiting_when_the_load_ends_is_dropped_and_left_to_its_task() throws Exception {
        AtomicInteger waitingRuns = new AtomicInteger();
        EarlyChunks.Load load = early.load();
        CountDownLatch releaseFirst = new CountDownLatch(1);
        offerRunning(load, releaseFirst, new AtomicInteger());
        assertThat(load.offer(1, COLUMNS, 0, () -> {
            waitingRuns.incrementAndGet();
            return Optional.of(ONE);
        })).isTrue();

        // the load ends while chunk 1 still waits: the await drops it, then waits for chunk 0 alone
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                load.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(ended).isNotDone();
        releaseFirst.countDown();
        ended.get(10, TimeUnit.SECONDS);

        assertThat(load.adopted(COLUMNS, 0)).isEqualTo(Map.of(0, ONE));
        // the next load's chunk is taken at once: the dropped one no longer counts as waiting
        EarlyChunks.Load next = early.load();
        CountDownLatch nextRan = new CountDownLatch(1);
        assertThat(next.offer(0, COLUMNS, 0, () -> {
            nextRan.countDown();
            return Optional.of(ONE);
        })).isTrue();
        assertThat(nextRan.await(10, TimeUnit.SECONDS)).isTrue();
        next.await();
        assertThat(next.adopted(COLUMNS, 0)).isEqualTo(Map.of(0, ONE));
        assertThat(waitingRuns).hasValue(0);
    }

    @Test
    void a_chunk_offered_while_the_thread_is_free_is_processed_even_when_the_load_ends_at_once() throws Exception {
        EarlyChunks.Load load = early.load();

        boolean taken = load.offer(0, COLUMNS, 0, () -> Optional.of(ONE));
        load.await();

        assertThat(taken).isTrue();
        assertThat(load.adopted(COLUMNS, 0)).isEqualTo(Map.of(0, ONE));
    }

    /**
     * Offers chunk 0, whose work counts a run once {@code release} lets it end, and answers whether it was taken
     * once the thread is running it.
     */
    private static boolean offerRunning(EarlyChunks.Load load, CountDownLatch release, AtomicInteger runs)
            throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        boolean taken = load.offer(0, COLUMNS, 0, () -> {
            running.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            runs.incrementAndGet();
            return Optional.of(ONE);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return taken;
    }

    private static void awaitRuns(AtomicInteger runs, int expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runs.get() < expected && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }
}
