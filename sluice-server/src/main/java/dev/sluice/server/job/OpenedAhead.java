package dev.sluice.server.job;

import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Future;

/**
 * A blob's stream opened on a thread of its own from the start, so that the round trip of its opening (on a
 * bucket) overlaps what its reader does first: a chunk's processor looks up its duplicates plan, its account's
 * rules, before it reads the chunk's input. The first read (or the close) waits for the opening, and throws what
 * the opening failed with.
 */
final class OpenedAhead extends InputStream {

    private final Future<InputStream> opening;
    private InputStream in;

    OpenedAhead(BlobStorage storage, String key) {
        this.opening = BackgroundIo.start("sluice-open-ahead", () -> storage.open(key));
    }

    @Override
    public int read() throws IOException {
        return stream().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return stream().read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        return stream().skip(n);
    }

    @Override
    public int available() throws IOException {
        return stream().available();
    }

    @Override
    public void close() throws IOException {
        stream().close();
    }

    private InputStream stream() throws IOException {
        if (in == null) {
            in = BackgroundIo.await(opening);
        }
        return in;
    }
}
