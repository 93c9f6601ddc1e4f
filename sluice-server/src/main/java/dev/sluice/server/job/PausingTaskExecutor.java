package dev.sluice.server.job;

import dev.sluice.server.storage.OutOfSpace;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task engine's worker pool, pausing task pickup after a storage or database failure.
 *
 * <p>db-scheduler claims a due task on a worker thread ("pick": an {@code UPDATE}), and asks for more due
 * tasks as soon as one is done. When the claim itself fails (a full disk: {@code SQLITE_FULL}), the
 * failure escapes to the thread, the task stays due and is fetched and claimed again at once: a tight
 * loop that wrote hundreds of megabytes of stack traces a minute. Here such a failure is logged in one
 * line and no worker starts anything for a pause that doubles with each failure in a row (1s, 2s, 4s...
 * up to {@link #MAX_PAUSE}); the first success ends the pauses. Other failures behave as before.
 */
final class PausingTaskExecutor extends ThreadPoolExecutor {

    private static final Logger log = LoggerFactory.getLogger(PausingTaskExecutor.class);

    /** The first pause after a failure. */
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    /** The longest pause between two attempts while the failures go on. */
    static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    /** Waits out a pause; the default sleeps the worker thread. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile long resumeAt;

    /** {@code threads} workers at nice value {@code nice} ({@link WorkerPriority}; 0 keeps the priority). */
    PausingTaskExecutor(int threads, int nice, Clock clock) {
        this(threads, nice, clock, duration -> Thread.sleep(duration));
    }

    PausingTaskExecutor(int threads, int nice, Clock clock, Sleeper sleeper) {
        super(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                WorkerPriority.threads("sluice-task-", false, nice));
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public void execute(Runnable command) {
        super.execute(() -> runPausing(command));
    }

    /** Runs {@code command} after any pause in force; a storage or database failure starts the next pause. */
    void runPausing(Runnable command) {
        long wait = resumeAt - clock.millis();
        if (wait > 0) {
            try {
                sleeper.sleep(Duration.ofMillis(wait));
            } catch (InterruptedException e) {
                // shutting down: the task is dropped, as db-scheduler drops queued work on stop
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            command.run();
            failuresInARow.set(0);
        } catch (RuntimeException e) {
            if (!storageOrDatabase(e)) {
                throw e;
            }
            int failures = failuresInARow.incrementAndGet();
            Duration pause = pauseAfter(failures);
            resumeAt = clock.millis() + pause.toMillis();
            log.warn("task engine: {} ({} in a row); no task starts for {}: {}",
                    OutOfSpace.causedBy(e) ? "the disk or database is full" : "the database failed", failures, pause,
                    rootMessage(e));
        }
    }

    /** The pause after {@code failures} failures in a row. */
    static Duration pauseAfter(int failures) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(failures - 1, 20));
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }

    private static boolean storageOrDatabase(Throwable failure) {
        if (OutOfSpace.causedBy(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
