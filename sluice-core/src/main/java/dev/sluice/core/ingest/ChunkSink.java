package dev.sluice.core.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

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

    /**
     * Chunk part {@code chunkIndex} is complete and closed, with {@code records} records; the load goes on. Not
     * called for a chunk of a load that fails. {@code columns} and {@code keyColumn} are the output columns as far
     * as the load has read: a wider record later widens them, so they are final only in the {@link LoadSummary}.
     * Runs on the loading thread, before the next record is read.
     */
    default void closed(int chunkIndex, long records, List<String> columns, int keyColumn) throws IOException {
    }
}
