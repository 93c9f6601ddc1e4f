package dev.sluice.core.ingest;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Passes reads through but not {@code close()}: the caller that opened a stream closes it. */
final class ShieldedInputStream extends FilterInputStream {

    ShieldedInputStream(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // Deliberately empty: see the class comment.
    }
}
