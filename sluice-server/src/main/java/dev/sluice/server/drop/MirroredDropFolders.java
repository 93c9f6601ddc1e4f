package dev.sluice.server.drop;

import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop on shared blob storage (S3): the files live in the bucket, where any node's export put them,
 * and SFTP needs a file system, so each login brings a local mirror of the account's drop up to date
 * first: files missing here or of another size are copied down, files gone from the bucket (purged after
 * their retention) are removed. Drop files are named once per batch and never rewritten with other
 * content, so equal size means the same file. A login waits for the copy; one account's logins take turns.
 */
final class MirroredDropFolders implements DropFolders {

    private static final Logger log = LoggerFactory.getLogger(MirroredDropFolders.class);

    private final BlobStorage storage;
    private final Path mirrorRoot;
    private final Path tmp;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    MirroredDropFolders(BlobStorage storage, Path mirrorRoot) {
        this.storage = storage;
        this.mirrorRoot = mirrorRoot.toAbsolutePath().normalize();
        this.tmp = this.mirrorRoot.resolve(".tmp");
    }

    @Override
    public Path home(String accountId) throws IOException {
        String folder = DropKeys.folder(accountId);
        Path home = mirrorRoot.resolve(accountId).normalize();
        if (!home.startsWith(mirrorRoot) || home.equals(tmp)) {
            throw new IOException("drop mirror of account '" + accountId + "' is outside " + mirrorRoot);
        }
        synchronized (locks.computeIfAbsent(accountId, id -> new Object())) {
            Files.createDirectories(home.resolve(DropKeys.EXPORTS));
            Files.createDirectories(tmp);
            Set<Path> wanted = new HashSet<>();
            int copied = 0;
            for (StoredBlob blob : storage.list(folder)) {
                Path local = home.resolve(blob.key().substring(folder.length() + 1)).normalize();
                if (!local.startsWith(home)) {
                    continue; // keys come from DropKeys, so this is never true; refuse rather than escape
                }
                wanted.add(local);
                if (!Files.isRegularFile(local) || Files.size(local) != blob.size()) {
                    copyDown(blob.key(), local);
                    copied++;
                }
            }
            int removed = removeAllBut(home, wanted);
            if (copied > 0 || removed > 0) {
                log.info("drop mirror of account {}: {} files copied from storage, {} removed", accountId, copied,
                        removed);
            }
        }
        return home;
    }

    private void copyDown(String key, Path local) throws IOException {
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        try (InputStream in = storage.open(key)) {
            Files.copy(in, part);
            Files.createDirectories(local.getParent());
            try {
                Files.move(part, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, local, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Deletes every file under {@code home} not in {@code wanted}, and the folders left empty but exports/. */
    private static int removeAllBut(Path home, Set<Path> wanted) throws IOException {
        int[] removed = {0};
        Path exports = home.resolve(DropKeys.EXPORTS);
        Files.walkFileTree(home, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!wanted.contains(file)) {
                    Files.deleteIfExists(file);
                    removed[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!dir.equals(home) && !dir.equals(exports)) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(dir);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return removed[0];
    }
}
