package dev.sluice.server.job;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Storage work started on a virtual thread of its own, so that its round trip (on a bucket) overlaps what the
 * caller does meanwhile ({@link ReadAheadBlobs}, {@link ChunkInputs}, {@link OpenedAhead}); its outcome is taken
 * as if the caller had done it.
 */
final class BackgroundIo {

    private BackgroundIo() {
    }

    /** Starts {@code work} on a virtual thread named {@code name}. */
    static <T> Future<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().name(name).start(task);
        return task;
    }

    /** Waits for {@code work} and answers its result, or throws what it failed with, as it was thrown there. */
    static <T> T await(Future<T> work) throws IOException {
        try {
            return work.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException("storage work failed: " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for storage");
        }
    }

    /**
     * Waits until every piece of {@code work} has ended, whatever it ended with: the caller failed, or fails, and
     * only needs none of it to land later. An interrupt does not cut the wait short; it is kept for the caller.
     */
    static void waitOut(Collection<? extends Future<?>> work) {
        boolean interrupted = false;
        for (Future<?> piece : work) {
            while (true) {
                try {
                    piece.get();
                    break;
                } catch (ExecutionException | CancellationException e) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
