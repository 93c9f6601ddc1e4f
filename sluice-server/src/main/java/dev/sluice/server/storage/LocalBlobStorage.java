package dev.sluice.server.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Blobs as files under one root directory. Each write goes to a temporary file in {@code .tmp} and is
 * moved into place atomically on close.
 */
public class LocalBlobStorage implements BlobStorage {

    private static final int BUFFER = 64 * 1024;
    /** Walks of a tree that keeps receiving files before a delete gives up; publishes retried as often. */
    private static final int DELETE_PASSES = 5;

    private final Path root;
    private final Path tmp;

    public LocalBlobStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(".tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob directory " + this.root, e);
        }
    }

    @Override
    public BlobInfo put(String key, InputStream in, long maxBytes) throws IOException, BlobTooLargeException {
        Path target = resolve(key);
        Path temp = tempFile();
        MessageDigest sha256 = sha256();
        long size = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                size += n;
                if (size > maxBytes) {
                    throw new BlobTooLargeException(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | BlobTooLargeException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        publish(temp, target);
        return new BlobInfo(size, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public OutputStream create(String key) throws IOException {
        Path target = resolve(key);
        Path temp = tempFile();
        OutputStream file = new java.io.BufferedOutputStream(Files.newOutputStream(temp), BUFFER);
        return new FilterOutputStream(file) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                boolean published = false;
                try {
                    super.close();
                    publish(temp, target);
                    published = true;
                } finally {
                    if (!published) {
                        Files.deleteIfExists(temp);
                    }
                }
            }
        };
    }

    @Override
    public void write(String key, BlobWriter writer) throws IOException {
        Path target = resolve(key);
        Path temp = tempFile();
        boolean published = false;
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), BUFFER)) {
                writer.writeTo(out);
            }
            publish(temp, target);
            published = true;
        } finally {
            // a published temporary file is gone: deleting it anyway would cost an exception inside the JDK
            if (!published) {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path file = resolve(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public long size(String key) throws IOException {
        return Files.size(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    /**
     * Deletes every file under the prefix, then the folders it leaves empty above it (a deleted job leaves
     * no empty {@code jobs/<id>} folder behind; a single {@link #delete} prunes nothing, so that a folder
     * such as a drop's {@code exports/} stays when its last file goes). A writer may publish
     * into the tree while it is walked (a task that has not yet noticed its batch is gone): the walk then
     * meets a folder that is not empty, and starts over, a few times, before it gives up.
     */
    @Override
    public void deleteTree(String prefix) throws IOException {
        Path dir = resolve(prefix);
        for (int pass = 1; Files.isDirectory(dir); pass++) {
            try {
                deleteWalk(dir);
            } catch (DirectoryNotEmptyException e) {
                if (pass >= DELETE_PASSES) {
                    throw e;
                }
            }
        }
        pruneEmptyParents(dir.getParent());
    }

    private static void deleteWalk(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /** Removes empty folders from {@code dir} up to (not including) the root; stops at the first that is not empty. */
    private void pruneEmptyParents(Path dir) {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root) && !d.equals(tmp); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (or gone already): the folders above are not ours to remove
            }
        }
    }

    @Override
    public List<StoredBlob> list(String prefix) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredBlob> blobs = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    blobs.add(new StoredBlob(key, attrs.size()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while we walked
                }
                throw e;
            }
        });
        blobs.sort(Comparator.comparing(StoredBlob::key));
        return blobs;
    }

    /**
     * Removes what writes of an earlier process left in {@code .tmp}: a write killed midway (SIGKILL during
     * an upload) never reaches its move into place, and nothing else would ever delete its file. Safe only
     * while no write of this process runs, and while no other process uses the root: call it at start,
     * with the data directory's lock held. Answers the number of files removed and their bytes.
     */
    public Swept sweepAbandonedWrites() throws IOException {
        long files = 0;
        long bytes = 0;
        try (java.util.stream.Stream<Path> entries = Files.list(tmp)) {
            for (Path entry : entries.toList()) {
                if (Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    long size = Files.size(entry);
                    if (Files.deleteIfExists(entry)) {
                        files++;
                        bytes += size;
                    }
                }
            }
        }
        return new Swept(files, bytes);
    }

    /** What {@link #sweepAbandonedWrites()} removed. */
    public record Swept(long files, long bytes) {
    }

    @Override
    public void probe() throws IOException {
        // every write begins with a temporary file in .tmp: that is the step to prove
        Path probe = Files.createTempFile(tmp, "probe-", ".part");
        Files.delete(probe);
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root) || key.startsWith(".tmp")) {
            throw new IllegalArgumentException("blob key outside the storage root: " + key);
        }
        return path;
    }

    private Path tempFile() {
        return tmp.resolve(UUID.randomUUID() + ".part");
    }

    /**
     * Moves a finished temporary file into place. The move is tried first, as the target's folder mostly exists
     * (making it first would cost an exception inside the JDK each time); when the folder is missing (the first
     * file in it, or a delete pruned it while it was empty for an instant) it is made and the move tried again.
     */
    private static void publish(Path temp, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= DELETE_PASSES || !Files.exists(temp)) {
                    throw e;
                }
            }
            try {
                Files.createDirectories(target.getParent());
            } catch (FileAlreadyExistsException e) {
                // createDirectories met the folder, which a delete removed before it could check that it is a
                // folder: the next attempt makes it again
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
