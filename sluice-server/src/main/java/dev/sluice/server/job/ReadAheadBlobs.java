package dev.sluice.server.job;

import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Blobs read one after the other, each opened while the one before is read: on a bucket, opening a blob waits a
 * round trip before its first byte, and an assembly reading a hundred parts in turn would otherwise wait a hundred
 * of them. Only the next blob is opened ahead, so at most one more stream (one more pooled connection) is open.
 * A pass that opens the blobs in another order, or one twice, still gets each one: the blob opened ahead is then
 * closed unread and the asked one opened as usual.
 *
 * <p>Used by one thread at a time; {@link #close} closes a blob opened ahead that no pass took.
 */
public final class ReadAheadBlobs implements AutoCloseable {

    private final BlobStorage storage;
    private final List<String> keys;
    private int aheadIndex = -1;
    private Future<InputStream> ahead;

    public ReadAheadBlobs(BlobStorage storage, List<String> keys) {
        this.storage = storage;
        this.keys = List.copyOf(keys);
    }

    /** The blobs as sources, in the order of the keys. */
    List<ChunkProcessor.PartSource> sources() {
        List<ChunkProcessor.PartSource> sources = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            int index = i;
            sources.add(() -> open(index));
        }
        return sources;
    }

    /** Opens blob {@code index}, the one opened ahead when it is that one, and starts opening the next. */
    public synchronized InputStream open(int index) throws IOException {
        Future<InputStream> mine = null;
        if (ahead != null) {
            if (aheadIndex == index) {
                mine = ahead;
            } else {
                closeUnread(ahead);
            }
            ahead = null;
        }
        if (index + 1 < keys.size()) {
            String next = keys.get(index + 1);
            ahead = BackgroundIo.start("sluice-read-ahead", () -> storage.open(next));
            aheadIndex = index + 1;
        }
        return mine == null ? storage.open(keys.get(index)) : BackgroundIo.await(mine);
    }

    @Override
    public synchronized void close() {
        if (ahead != null) {
            closeUnread(ahead);
            ahead = null;
        }
    }

    /** Waits for a blob opened ahead and closes it; what failed there failed for a blob nobody read. */
    private static void closeUnread(Future<InputStream> opening) {
        try (InputStream unread = BackgroundIo.await(opening)) {
            // closed unread; a bucket's HTTP client may read it to its end to keep the connection, which only a pass
            // that stops early or goes out of order pays
        } catch (IOException | RuntimeException e) {
            // nobody asked for it
        }
    }
}
