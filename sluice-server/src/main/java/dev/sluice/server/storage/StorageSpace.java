package dev.sluice.server.storage;

import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The free space of this node's disks: the data directory (the SQLite file, its journal) and, with local
 * blobs, the blob root. Below {@code sluice.storage.min-free-space} the node refuses new uploads (507) and
 * reports {@code storage} DOWN, so the reserve is left for what must still be written: results of work in
 * progress, the database's journal, and deletes, the only way to make room.
 */
@Component
public class StorageSpace {

    private final List<Path> watched;
    private final long reserve;

    public StorageSpace(SluiceProperties sluice, StorageProperties storage) {
        List<Path> paths = new ArrayList<>();
        paths.add(sluice.dataDir().toAbsolutePath().normalize());
        if (storage.local()) {
            paths.add(sluice.dataDir().resolve("blobs").toAbsolutePath().normalize());
        }
        this.watched = List.copyOf(paths);
        this.reserve = storage.minFreeSpace().toBytes();
    }

    /** The bytes this node may still write: the least usable space among its watched disks. */
    public long usableBytes() {
        long least = Long.MAX_VALUE;
        for (Path path : watched) {
            try {
                FileStore store = Files.getFileStore(existing(path));
                least = Math.min(least, store.getUsableSpace());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the free space of " + path, e);
            }
        }
        return least;
    }

    /** The reserve, in bytes: {@code sluice.storage.min-free-space}. */
    public long reserveBytes() {
        return reserve;
    }

    /** True when the free space is under the reserve. */
    public boolean belowReserve() {
        return usableBytes() < reserve;
    }

    /**
     * Throws {@link Problem#INSUFFICIENT_STORAGE} when the free space is under the reserve: called before a
     * new upload is taken, so the last of the disk goes to work already accepted and to deletes.
     */
    public void requireRoomForUpload() {
        if (belowReserve()) {
            throw new ProblemException(Problem.INSUFFICIENT_STORAGE, "the server is short of disk space and takes "
                    + "no new uploads for now; delete jobs whose results you no longer need, or retry later");
        }
    }

    /** The path itself, or its closest existing parent (a folder not created yet lives on the same disk). */
    private static Path existing(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? path : p;
    }
}
