package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkedAheadTest {

    @Test
    void values_come_in_order_worked_out_one_after_the_other_on_one_thread() throws Exception {
        List<Integer> worked = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Integer> taken = new ArrayList<>();

        try (WorkedAhead<Integer> ahead = new WorkedAhead<>("ahead-test", 6, 2, index -> {
            worked.add(index);
            threads.add(Thread.currentThread().getName());
            return index * 10;
        })) {
            for (int i = 0; i < 6; i++) {
                taken.add(ahead.take(i));
            }
        }

        assertThat(taken).containsExactly(0, 10, 20, 30, 40, 50);
        assertThat(worked).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(threads).containsOnly("ahead-test");
    }

    @Test
    void the_next_values_are_worked_out_while_the_taker_holds_one_and_never_more_than_ahead() throws Exception {
        AtomicInteger takes = new AtomicInteger();
        List<String> tooEarly = new CopyOnWriteArrayList<>();
        CountDownLatch secondWorked = new CountDownLatch(1);

        try (WorkedAhead<Integer> ahead = new WorkedAhead<>("ahead-test", 5, 1, index -> {
            // the taker has asked for takes.get() values so far: the last it asked for is takes.get() - 1
            if (index > takes.get() - 1 + 1) {
                tooEarly.add("index " + index + " worked out after " + takes.get() + " takes");
            }
            if (index == 1) {
                secondWorked.countDown();
            }
            return index;
        })) {
            takes.incrementAndGet();
            assertThat(ahead.take(0)).isZero();
            // the taker holds value 0; value 1 is worked out meanwhile, without another take
            assertThat(secondWorked.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 5; i++) {
                takes.incrementAndGet();
                assertThat(ahead.take(i)).isEqualTo(i);
            }
        }

        assertThat(tooEarly).isEmpty();
    }

    @Test
    void a_failing_work_fails_its_take_with_its_own_exception_and_close_stops_the_rest() throws Exception {
        IOException refused = new IOException("the part's copies could not be read");
        List<Integer> worked = new CopyOnWriteArrayList<>();
        WorkedAhead<Integer> ahead = new WorkedAhead<>("ahead-test", 50, 1, index -> {
            worked.add(index);
            if (index == 1) {
                throw refused;
            }
            return index;
        });
        try (ahead) {
            assertThat(ahead.take(0)).isZero();
            assertThatThrownBy(() -> ahead.take(1)).isSameAs(refused);
        }

        // at most the index after the failed one was started before the taker stopped
        assertThat(worked).containsAnyOf(0, 1).allMatch(index -> index <= 2);
    }

    @Test
    void close_waits_for_the_running_work_to_end() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        WorkedAhead<Integer> ahead = new WorkedAhead<>("ahead-test", 3, 2, index -> {
            if (index == 1) {
                running.countDown();
                try {
                    new CountDownLatch(1).await(); // until interrupted by close
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ended.set(true);
                }
            }
            return index;
        });

        assertThat(ahead.take(0)).isZero();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        ahead.close();

        assertThat(ended).isTrue();
    }

    @Test
    void values_are_taken_once_each_in_order() throws Exception {
        try (WorkedAhead<Integer> ahead = new WorkedAhead<>("ahead-test", 2, 1, index -> index)) {
            assertThatThrownBy(() -> ahead.take(1)).isInstanceOf(IllegalStateException.class);
            assertThat(ahead.take(0)).isZero();
            assertThatThrownBy(() -> ahead.take(0)).isInstanceOf(IllegalStateException.class);
            assertThat(ahead.take(1)).isEqualTo(1);
            assertThatThrownBy(() -> ahead.take(2)).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> new WorkedAhead<Integer>("ahead-test", 2, 0, index -> index))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_work_runs_at_the_priority_of_the_thread_that_took_first() throws Exception {
        int asked = Math.max(WorkerPriority.currentNice() + 1, 7);
        CompletableFuture<Integer> workNice = new CompletableFuture<>();

        Thread taker = WorkerPriority.threads("taker-", true, asked).newThread(() -> {
            try (WorkedAhead<Integer> ahead = new WorkedAhead<>("ahead-test", 1, 1,
                    index -> {
                        workNice.complete(WorkerPriority.currentNice());
                        return index;
                    })) {
                ahead.take(0);
            } catch (Exception | Error e) {
                workNice.completeExceptionally(e);
            }
        });
        taker.start();

        assertThat(workNice.get(10, TimeUnit.SECONDS)).isEqualTo(asked);
    }
}
