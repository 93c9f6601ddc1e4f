package dev.sluice.server.verify;

import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/** Reads the duplicate plan the loader wrote beside a chunk's input; a chunk without one has no duplicates. */
final class DuplicatePlans {

    private DuplicatePlans() {
    }

    static DuplicatePlan of(BlobStorage storage, Batch batch, Chunk chunk) throws IOException {
        // one request, not a look-up and then a read: on S3 each is a round trip
        try (InputStream in = storage.open(BlobKeys.duplicates(batch, chunk.index()))) {
            return DuplicatePlan.read(in);
        } catch (NoSuchFileException e) {
            return DuplicatePlan.NONE;
        }
    }
}
