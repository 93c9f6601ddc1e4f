package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPriorityTest {

    @Test
    void aWorkerThreadRunsAtTheNiceValueAndTheCallerKeepsItsOwn() throws Exception {
        int callers = WorkerPriority.currentNice();
        int asked = Math.max(callers + 1, 7);

        assertThat(niceOfAThreadFrom(WorkerPriority.threads("worker-", true, asked))).isEqualTo(asked);
        assertThat(WorkerPriority.currentNice()).isEqualTo(callers);
    }

    @Test
    void zeroAndAValueAtOrBelowTheThreadsOwnLeaveItsPriority() throws Exception {
        int callers = WorkerPriority.currentNice();

        assertThat(niceOfAThreadFrom(WorkerPriority.threads("worker-", true, 0))).isEqualTo(callers);
        if (callers > 0) {
            assertThat(niceOfAThreadFrom(WorkerPriority.threads("worker-", true, callers))).isEqualTo(callers);
        }
    }

    @Test
    void theThreadsAreNamedAndNumbered() throws Exception {
        ThreadFactory factory = WorkerPriority.threads("sluice-test-", false, 0);

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("sluice-test-1");
        assertThat(second.getName()).isEqualTo("sluice-test-2");
        assertThat(first.isDaemon()).isFalse();
    }

    private static int niceOfAThreadFrom(ThreadFactory factory) throws Exception {
        CompletableFuture<Integer> nice = new CompletableFuture<>();
        factory.newThread(() -> {
            try {
                nice.complete(WorkerPriority.currentNice());
            } catch (Exception e) {
                nice.completeExceptionally(e);
            }
        }).start();
        return nice.get(10, TimeUnit.SECONDS);
    }
}
