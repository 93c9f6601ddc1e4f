package dev.sluice.server.job;

import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * Blobs read one after the other, the next few opened while one is read: on a bucket, opening a blob waits a round
 * trip before its first byte, and an assembly reading a hundred parts in turn would otherwise wait a hundred of
 * them. With one blob opened ahead, a round trip longer than the reading of a blob still showed (a 600 KB part is
 * read in a few milliseconds, a chunk report in less than one); so up to {@code ahead} blobs are opened ahead, each
 * one more stream (one more pooled connection) open meanwhile. A pass that opens the blobs in another order, or one
 * twice, still gets each one: blobs opened ahead that it skips are closed unread and the asked one opened as usual.
 *
 * <p>Used by one thread at a time; {@link #close} closes the blobs opened ahead that no pass took.
 */
public final class ReadAheadBlobs implements AutoCloseable {

    /** Blobs opened ahead by default: enough for a part (a few milliseconds to read) to hide a 20 ms round trip. */
    private static final int AHEAD = 4;

    private final BlobStorage storage;
    private final List<String> keys;
    private final int depth;
    /** The blobs opened ahead, by index: some of those after the one opened last, up to {@code depth} after it. */
    private final NavigableMap<Integer, Future<InputStream>> opened = new TreeMap<>();

    /** Reads {@code keys} with {@link #AHEAD} blobs opened ahead. */
    public ReadAheadBlobs(BlobStorage storage, List<String> keys) {
        this(storage, keys, AHEAD);
    }

    /** Reads {@code keys} with up to {@code ahead} blobs opened ahead (at least one). */
    public ReadAheadBlobs(BlobStorage storage, List<String> keys, int ahead) {
        if (ahead < 1) {
            throw new IllegalArgumentException("ahead must be at least 1: " + ahead);
        }
        this.storage = storage;
        this.keys = List.copyOf(keys);
        this.depth = ahead;
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

    /** Opens blob {@code index}, the one opened ahead when it is that one, and starts opening the next ones. */
    public synchronized InputStream open(int index) throws IOException {
        Future<InputStream> mine = opened.remove(index);
        int last = Math.min(index + depth, keys.size() - 1);
        // a pass that went back, or jumped past some, will not take those opened outside the blobs after this one
        closeUnread(opened.headMap(index, false));
        closeUnread(opened.tailMap(last, false));
        for (int next = index + 1; next <= last; next++) {
            if (!opened.containsKey(next)) {
                String key = keys.get(next);
                opened.put(next, BackgroundIo.start("sluice-read-ahead", () -> storage.open(key)));
            }
        }
        return mine == null ? storage.open(keys.get(index)) : BackgroundIo.await(mine);
    }

    @Override
    public synchronized void close() {
        closeUnread(opened);
    }

    /** Closes the blobs of {@code ahead} unread and removes them from it. */
    private static void closeUnread(Map<Integer, Future<InputStream>> ahead) {
        ahead.values().forEach(ReadAheadBlobs::closeUnread);
        ahead.clear();
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
