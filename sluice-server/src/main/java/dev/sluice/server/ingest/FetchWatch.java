package dev.sluice.server.ingest;

import dev.sluice.server.job.FetchFailedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches every running fetch of the node from one daemon thread and aborts the ones that stall: no byte
 * for {@code read-timeout}, fewer than {@code min-rate} bytes per second over a {@code read-timeout} window,
 * or longer than {@code deadline} in all. Aborting closes the transport (the sockets, the HTTP client), so a
 * worker blocked in a read returns at once, whatever the protocol lets a read time out on.
 */
final class FetchWatch implements AutoCloseable {

    private final Duration readTimeout;
    private final long minBytesPerWindow;
    private final Duration deadline;
    private final String minRateText;
    private final Set<Fetch> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    FetchWatch(FetchProperties properties) {
        this.readTimeout = properties.readTimeout();
        this.deadline = properties.deadline();
        this.minRateText = properties.minRate().toString();
        this.minBytesPerWindow = properties.minRate().toBytes() * Math.max(1, readTimeout.toMillis()) / 1000;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sluice-fetch-watch")
                .factory());
        long tick = Math.clamp(readTimeout.toMillis() / 4, 50, 1000);
        ticker.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Starts watching a fetch of {@code target} (host and port, never the user info); {@code abort} closes its transport. */
    Fetch start(String target, Runnable abort) {
        Fetch fetch = new Fetch(target, abort);
        running.add(fetch);
        return fetch;
    }

    private void check() {
        long now = System.nanoTime();
        for (Fetch fetch : running) {
            fetch.check(now);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** {@code 30s}, {@code 200ms}: the way the settings are written. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** One watched fetch: counts bytes, knows why it was aborted, and wraps its body stream. */
    final class Fetch {
        private final String target;
        private final Runnable abort;
        private final long started = System.nanoTime();
        private volatile long bytes;
        private volatile long lastByte = started;
        private long windowStart = started;
        private long windowBytes;
        private volatile FetchFailedException abortedFor;
        private volatile boolean bodyStarted;

        private Fetch(String target, Runnable abort) {
            this.target = target;
            this.abort = abort;
        }

        /** From now on the idle and rate checks apply (before, the protocol's own timeouts do). */
        InputStream body(InputStream in, Runnable onClose) {
            long now = System.nanoTime();
            lastByte = now;
            synchronized (this) {
                windowStart = now;
                windowBytes = bytes;
            }
            bodyStarted = true;
            return new Body(in, onClose);
        }

        /** The reason this fetch was aborted, or null; a transport error after an abort is reported as this. */
        FetchFailedException abortedFor() {
            return abortedFor;
        }

        /** Stops watching; the transport is closed by its owner. */
        void finish() {
            running.remove(this);
        }

        long bytes() {
            return bytes;
        }

        private synchronized void check(long now) {
            if (abortedFor != null) {
                return;
            }
            if (now - started > deadline.toNanos()) {
                abort(FetchFailedException.permanent("fetching from " + target + " took longer than the "
                        + describe(deadline) + " deadline (sluice.fetch.deadline) after " + bytes + " bytes"));
                return;
            }
            if (!bodyStarted) {
                return;
            }
            if (now - lastByte > readTimeout.toNanos()) {
                abort(FetchFailedException.retryable("the source at " + target + " sent nothing for "
                        + describe(readTimeout) + " (sluice.fetch.read-timeout) after " + bytes + " bytes"));
                return;
            }
            if (now - windowStart >= readTimeout.toNanos()) {
                if (minBytesPerWindow > 0 && bytes - windowBytes < minBytesPerWindow) {
                    abort(FetchFailedException.retryable("the source at " + target + " sent " + (bytes - windowBytes)
                            + " bytes in " + describe(readTimeout) + ", below the minimum rate of " + minRateText
                            + " per second (sluice.fetch.min-rate)"));
                    return;
                }
                windowStart = now;
                windowBytes = bytes;
            }
        }

        private void abort(FetchFailedException reason) {
            abortedFor = reason;
            running.remove(this);
            abort.run();
        }

        private void counted(long n) {
            if (n > 0) {
                bytes += n;
                lastByte = System.nanoTime();
            }
        }

        /** The body as the caller reads it: counted, and failing with a sentence instead of transport text. */
        private final class Body extends FilterInputStream {
            private final Runnable onClose;
            private boolean closed;

            Body(InputStream in, Runnable onClose) {
                super(in);
                this.onClose = onClose;
            }

            @Override
            public int read() throws IOException {
                int b;
                try {
                    b = super.read();
                } catch (IOException e) {
                    throw translated(e);
                }
                counted(b < 0 ? 0 : 1);
                return checked(b);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n;
                try {
                    n = super.read(buffer, offset, length);
                } catch (IOException e) {
                    throw translated(e);
                }
                counted(n);
                return checked(n);
            }

            /** An aborted transport may end like a finished body: never hand a cut file over as whole. */
            private int checked(int read) throws FetchFailedException {
                FetchFailedException reason = abortedFor;
                if (reason != null) {
                    throw reason;
                }
                return read;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                finish();
                try {
                    super.close();
                } catch (IOException e) {
                    // the body was read or abandoned; a failing close changes neither
                } finally {
                    onClose.run();
                }
            }
        }

        /** A transport failure as a sentence: the abort reason when the watch aborted it. */
        FetchFailedException translated(IOException e) {
            FetchFailedException reason = abortedFor;
            if (reason != null) {
                return reason;
            }
            if (e instanceof FetchFailedException f) {
                return f;
            }
            if (e instanceof java.net.SocketTimeoutException) {
                return FetchFailedException.retryable("the source at " + target + " sent nothing for "
                        + describe(readTimeout) + " (sluice.fetch.read-timeout) after " + bytes + " bytes");
            }
            return FetchFailedException.retryable("the connection to " + target + " broke after " + bytes + " bytes");
        }
    }
}
