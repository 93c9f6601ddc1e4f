package dev.sluice.server.job;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
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
 * <p>A chunk's bytes are held in memory until it closes, up to {@value #HELD} bytes, and its blob is then created
 * and written on that thread too: creating a file (or a bucket's upload) for each chunk was a tenth of the loading
 * thread's time. A chunk larger than that creates its blob on the loading thread when it outgrows the memory, and
 * streams the rest, so a load holds at most {@code (IN_FLIGHT + 1) * HELD} bytes, whatever its chunks' size.
 *
 * <p>A chunk is stored once {@link #await(int)} returns for it; {@link #awaitAll} before the chunks are recorded.
 * {@link #close} waits for every store still running, so that none lands after a failed load cleaned up.
 */
final class ChunkInputs implements AutoCloseable {

    static final int IN_FLIGHT = 4;
    /** The most bytes of one chunk held in memory until it closes: a chunk of 10,000 rows takes about 500 KB. */
    static final int HELD = 1 << 20;
    private static final int FIRST_HOLD = 1 << 16;

    private final Map<Integer, Future<Void>> stores = new ConcurrentHashMap<>();
    /** Stores not yet known to have ended, oldest first; used by the loading thread only. */
    private final Deque<Future<Void>> running = new ArrayDeque<>();

    /** Opens the stream a chunk is stored through: {@link dev.sluice.server.storage.BlobStorage#create}. */
    @FunctionalInterface
    interface Opener {
        OutputStream open() throws IOException;
    }

    /**
     * A stream for chunk {@code index}, which {@code opener} opens when the chunk is stored (or when it outgrows
     * what is held in memory): its close hands the store to a thread of its own.
     */
    OutputStream track(int index, Opener opener) {
        return new OutputStream() {
            private byte[] held = new byte[FIRST_HOLD];
            private int size;
            /** The blob's stream, once the chunk outgrew the memory. */
            private OutputStream out;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (out == null && size + len <= HELD) {
                    if (size + len > held.length) {
                        held = Arrays.copyOf(held, Math.min(HELD, Math.max(size + len, held.length * 2)));
                    }
                    System.arraycopy(b, off, held, size, len);
                    size += len;
                    return;
                }
                if (out == null) {
                    out = opener.open();
                    out.write(held, 0, size);
                    held = null;
                }
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                OutputStream opened = out;
                byte[] bytes = held;
                int length = size;
                held = null;
                Future<Void> store = BackgroundIo.start("sluice-chunk-store", () -> {
                    try (OutputStream blob = opened != null ? opened : opener.open()) {
                        if (opened == null) {
                            blob.write(bytes, 0, length);
                        }
                    }
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
