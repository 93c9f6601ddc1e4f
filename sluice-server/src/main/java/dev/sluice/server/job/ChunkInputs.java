package dev.sluice.server.job;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The chunk inputs of one load (or the duplicate plans it writes at its end), each closed (i.e. stored: on a bucket,
 * a chunk input goes up in one PUT when its stream closes) on a thread of its own while the load reads on. Each
 * close waits a round trip on a bucket, and a load cutting a hundred chunks would otherwise wait a hundred of them
 * one after the other. At most {@value #IN_FLIGHT} are stored at once; past that the load waits for the oldest.
 *
 * <p>A chunk is stored once {@link #await(int)} returns for it; {@link #awaitAll} before the chunks are recorded.
 * {@link #close} waits for every store still running, so that none lands after a failed load cleaned up.
 */
final class ChunkInputs implements AutoCloseable {

    static final int IN_FLIGHT = 4;

    private final Map<Integer, Future<Void>> stores = new ConcurrentHashMap<>();
    /** Stores not yet known to have ended, oldest first; used by the loading thread only. */
    private final Deque<Future<Void>> running = new ArrayDeque<>();

    /** Wraps the stream of chunk {@code index}: its close hands the store to a thread of its own. */
    OutputStream track(int index, OutputStream out) {
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                Future<Void> store = BackgroundIo.start("sluice-chunk-store", () -> {
                    out.close();
                    return null;
                });
                stores.put(index, store);
                running.add(store);
                while (running.size() > IN_FLIGHT) {
                    BackgroundIo.await(running.poll());
                }
            }
        };
    }

    /** Waits until chunk {@code index} is stored; throws what storing it failed with. */
    void await(int index) throws IOException {
        Future<Void> store = stores.get(index);
        if (store == null) {
            throw new IllegalStateException("chunk " + index + " was not closed by this load");
        }
        BackgroundIo.await(store);
    }

    /** Waits until every chunk closed so far is stored; throws the first failure. */
    void awaitAll() throws IOException {
        while (!running.isEmpty()) {
            BackgroundIo.await(running.poll());
        }
    }

    /** Waits for the stores still running, whatever they end with. */
    @Override
    public void close() {
        BackgroundIo.waitOut(running);
        running.clear();
    }
}
