package dev.sluice.server.job;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Values worked out in index order on a thread of their own, up to {@code ahead} indexes beyond the one taken, so
 * that the taker and the work use two cores: the verify assembly copies one part while the patches of the next
 * ones are worked out. The work for an index runs after the work for every index before it, on the same thread,
 * so it may carry state from one index to the next without locks. The thread is made by the first {@link #take},
 * from the taking thread, and so runs at its priority (a job worker's nice value is inherited). Used by one taking
 * thread.
 *
 * @param <T> what the work answers for an index
 */
public final class WorkedAhead<T> implements AutoCloseable {

    /** The work for one index. */
    @FunctionalInterface
    public interface Work<T> {
        T of(int index) throws IOException;
    }

    private final ExecutorService thread;
    private final Work<T> work;
    private final int count;
    private final int ahead;
    /** Work started and not yet taken, in index order. */
    private final Deque<Future<T>> started = new ArrayDeque<>();
    private int taken;
    private int next;

    /**
     * Values for the indexes 0 to {@code count - 1}; {@code ahead} (at least 1) is how many indexes beyond the one
     * taken may be worked out meanwhile.
     */
    public WorkedAhead(String name, int count, int ahead, Work<T> work) {
        if (ahead < 1) {
            throw new IllegalArgumentException("work ahead of the taker by at least one index, not " + ahead);
        }
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon(true).factory());
        this.work = work;
        this.count = count;
        this.ahead = ahead;
    }

    /**
     * The value of {@code index}, which must be the next not yet taken: waits for its work and throws what the
     * work threw, as it threw it.
     */
    public T take(int index) throws IOException {
        if (index != taken || index >= count) {
            throw new IllegalStateException("values are taken once each, in order, below " + count + ": expected "
                    + taken + ", asked " + index);
        }
        while (next < count && next <= index + ahead) {
            int started = next++;
            this.started.add(thread.submit(() -> work.of(started)));
        }
        taken++;
        return BackgroundIo.await(started.poll());
    }

    /**
     * Stops the work not yet begun, interrupts the one running and waits until it has ended, so that nothing the
     * work touches is used by it after this returns. An interrupt does not cut the wait short; it is kept for the
     * caller.
     */
    @Override
    public void close() {
        thread.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
