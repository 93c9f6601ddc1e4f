package dev.sluice.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where input files, chunk parts and results live: local disk on the embedded default, an S3 bucket
 * in a cluster. Keys are slash-separated paths. A blob appears whole or not at all: writers publish on
 * close, so a crash never leaves a half-written blob under its key, and writing a key again replaces it.
 */
public interface BlobStorage {

    /**
     * Streams {@code in} to {@code key}, computing size and SHA-256, refusing more than {@code maxBytes}
     * (nothing is kept then).
     */
    BlobInfo put(String key, InputStream in, long maxBytes) throws IOException, BlobTooLargeException;

    /** A stream whose bytes become the blob {@code key} when it is closed. */
    OutputStream create(String key) throws IOException;

    /**
     * Runs {@code writer} on a fresh stream and publishes its bytes as {@code key} only if it returns
     * normally; on an exception nothing replaces what the key held.
     */
    void write(String key, BlobWriter writer) throws IOException;

    /** Writes a blob's content. */
    @FunctionalInterface
    interface BlobWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Reads the blob; {@link java.nio.file.NoSuchFileException} when it does not exist. */
    InputStream open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    long size(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Deletes every blob whose key starts with {@code prefix} followed by a slash. */
    void deleteTree(String prefix) throws IOException;

    /**
     * Every blob whose key starts with {@code prefix} followed by a slash, at any depth, sorted by key;
     * empty when there is none.
     */
    List<StoredBlob> list(String prefix) throws IOException;

    /**
     * Proves with one cheap real operation that the storage can be used now (local disk: a file is written
     * and deleted where writes start; S3: the bucket answers a HEAD). Throws saying what failed.
     */
    void probe() throws IOException;

    /**
     * A URL that lets anyone GET the blob for {@code ttl} without credentials, so a client can fetch it
     * from the storage directly, answered with the given {@code Content-Disposition} and
     * {@code Content-Type} (either may be null for the storage's own); empty when the storage cannot sign
     * links (local disk).
     */
    default Optional<URI> presignedGet(String key, Duration ttl, String contentDisposition, String contentType) {
        return Optional.empty();
    }

    /**
     * The file on this machine holding the blob, when the storage keeps blobs as files (local disk), so that a
     * download can be sent from the file by the kernel instead of copied through the JVM; empty when the blob is
     * not there or the storage keeps no files (S3).
     */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }
}
