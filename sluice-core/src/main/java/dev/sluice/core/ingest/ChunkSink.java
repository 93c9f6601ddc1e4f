package dev.sluice.core.ingest;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where {@link FileLoader} writes chunk parts. The loader opens one stream per chunk, in index order
 * starting at 0, and closes each one itself when the chunk is full or the input ends; the sink must not
 * close them. If loading fails, the part open at that moment is closed too and may be incomplete: the
 * caller discards all parts of a failed load.
 */
@FunctionalInterface
public interface ChunkSink {

    /** Opens the stream for chunk part {@code chunkIndex} (0-based). */
    OutputStream open(int chunkIndex) throws IOException;
}
