package dev.sluice.core.verify.dns;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs at most {@code limit} asynchronous tasks at a time; the rest wait in a FIFO queue as plain objects,
 * so a waiting lookup holds no thread. A finished task starts the next waiting one on {@code executor}
 * rather than inline, so a run of tasks that complete at once cannot grow the stack.
 */
final class LookupQueue {

    private final int limit;
    private final Executor executor;
    private final Queue<Supplier<? extends CompletionStage<?>>> waiting = new ArrayDeque<>();
    private int running;

    LookupQueue(int limit, Executor executor) {
        this.limit = limit;
        this.executor = executor;
    }

    /** Starts {@code task} now if a slot is free, else when one frees up. */
    void submit(Supplier<? extends CompletionStage<?>> task) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(task);
                return;
            }
            running++;
        }
        start(task);
    }

    private void start(Supplier<? extends CompletionStage<?>> task) {
        CompletionStage<?> stage;
        try {
            stage = task.get();
        } catch (RuntimeException e) {
            release();
            return;
        }
        stage.whenComplete((result, failure) -> release());
    }

    private void release() {
        Supplier<? extends CompletionStage<?>> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        executor.execute(() -> start(next)); // the slot passes straight to the next task
    }
}
