package dev.sluice.server.verify;

import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;

/** Reads the duplicate plan the loader wrote beside a chunk's input; a chunk without one has no duplicates. */
final class DuplicatePlans {

    private DuplicatePlans() {
    }

    static DuplicatePlan of(BlobStorage storage, Batch batch, Chunk chunk) throws IOException {
        String key = BlobKeys.duplicates(batch, chunk.index());
        if (!storage.exists(key)) {
            return DuplicatePlan.NONE;
        }
        try (InputStream in = storage.open(key)) {
            return DuplicatePlan.read(in);
        }
    }
}
