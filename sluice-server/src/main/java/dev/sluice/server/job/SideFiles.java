package dev.sluice.server.job;

import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The blobs a chunk task stores beside its part (verify: the chunk's report, the verdicts later chunks copy), each
 * stored on a thread of its own from the moment the processor hands it over. On a bucket every blob waits a round
 * trip when it is stored; stored one after the other and then the part, a chunk task waited two or three of them,
 * now about one, as they go up together with the part.
 *
 * <p>The task waits for all of them ({@link #await}) after its part is stored and before the chunk is recorded as
 * done, so a done chunk has every file it wrote. {@link #close} waits for those still running whatever they end
 * with, so that none lands after its task failed and a re-run of the chunk began writing the same keys. Used by the
 * task's own thread only.
 */
public final class SideFiles implements AutoCloseable {

    private final BlobStorage storage;
    /** Stores not yet awaited, in the order they were handed over. */
    private final List<Future<Void>> running = new ArrayList<>();

    SideFiles(BlobStorage storage) {
        this.storage = storage;
    }

    /**
     * Starts storing {@code key} as {@code writer} writes it, on a thread of its own. {@code writer} runs after this
     * returns: it must read only what no one changes any more.
     */
    public void write(String key, BlobStorage.BlobWriter writer) {
        running.add(BackgroundIo.start("sluice-side-file", () -> {
            storage.write(key, writer);
            return null;
        }));
    }

    /** Waits until every file handed over is stored; throws the first failure, after all of them ended. */
    void await() throws IOException {
        Exception first = null;
        while (!running.isEmpty()) {
            try {
                BackgroundIo.await(running.getFirst());
            } catch (InterruptedIOException e) {
                throw e; // the stores still running are waited out by close()
            } catch (IOException | RuntimeException e) {
                first = first == null ? e : first;
            }
            running.removeFirst();
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first != null) {
            throw (RuntimeException) first;
        }
    }

    /** Waits for the stores still running, whatever they end with (the task failed, or fails, anyway). */
    @Override
    public void close() {
        BackgroundIo.waitOut(running);
        running.clear();
    }
}
