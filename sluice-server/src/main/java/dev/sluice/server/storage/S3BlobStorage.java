package dev.sluice.server.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in one S3-compatible bucket, under an optional key prefix. An object appears whole or
 * not at all because S3 publishes a PutObject or a completed multipart upload atomically; content is
 * streamed in {@value #PART_SIZE}-byte parts through reused buffers (a smaller blob in a buffer that grows from
 * {@value #FIRST_BUFFER} bytes to fit it), and a failed or refused upload is
 * aborted so no parts linger. A full part goes up on a thread of its own while the writer fills the next, at
 * most {@value #PARTS_IN_FLIGHT} per blob, so the writer waits for the bucket only when it writes faster.
 */
public class S3BlobStorage implements BlobStorage, AutoCloseable {

    /** Bytes per multipart part; a blob smaller than one part goes up as a single PutObject. */
    static final int PART_SIZE = 8 * 1024 * 1024;

    /** S3 deletes at most this many keys per DeleteObjects call. */
    private static final int DELETE_BATCH = 1000;

    /** SigV4 presigned URLs are valid for at most seven days. */
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);

    private static final int POOLED_BUFFERS = 8;

    /**
     * A blob's first buffer; it doubles as it fills, up to a part. Most blobs (chunk inputs and parts, reports,
     * plans) are far smaller than a part, and several are written at once.
     */
    static final int FIRST_BUFFER = 64 * 1024;

    /** Parts of one blob uploading at once while its writer fills the next. */
    static final int PARTS_IN_FLIGHT = 2;

    /** Threads uploading parts, for all blobs of this storage. */
    private static final int PART_THREADS = 4;
    private static final int READ_CHUNK = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(S3BlobStorage.class);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    /** Part buffers kept between uploads: each is 8 MiB, so allocating one per blob would churn the heap. */
    private final BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(POOLED_BUFFERS);
    private final ExecutorService partUploads = Executors.newFixedThreadPool(PART_THREADS,
            Thread.ofPlatform().daemon().name("sluice-s3-part-", 1).factory());

    /**
     * @param s3 the client; closed with this storage
     * @param presigner signs GET links; closed with this storage
     * @param bucket the bucket, which must exist
     * @param prefix key prefix without slashes at either end; empty for none
     */
    public S3BlobStorage(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public BlobInfo put(String key, InputStream in, long maxBytes) throws IOException, BlobTooLargeException {
        MessageDigest sha256 = sha256();
        Upload upload = new Upload(objectKey(key));
        long size = 0;
        try {
            byte[] chunk = new byte[READ_CHUNK];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                size += n;
                // checked before the bytes reach the upload, so a refused blob never sends its excess
                if (size > maxBytes) {
                    throw new BlobTooLargeException(maxBytes);
                }
                sha256.update(chunk, 0, n);
                upload.write(chunk, 0, n);
            }
        } catch (IOException | BlobTooLargeException | RuntimeException e) {
            upload.abort();
            throw e;
        }
        upload.finish();
        return new BlobInfo(size, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public OutputStream create(String key) {
        return new Upload(objectKey(key));
    }

    @Override
    public void write(String key, BlobWriter writer) throws IOException {
        Upload upload = new Upload(objectKey(key));
        try {
            writer.writeTo(upload);
        } catch (IOException | RuntimeException | Error e) {
            upload.abort();
            throw e;
        }
        upload.finish();
    }

    @Override
    public InputStream open(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey));
        } catch (NoSuchKeyException e) {
            throw noSuchBlob(key, e);
        } catch (SdkException e) {
            throw failed("read", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.headObject(b -> b.bucket(bucket).key(objectKey));
            return true;
        } catch (SdkException e) {
            if (notFound(e)) {
                return false;
            }
            throw failed("look up", key, e);
        }
    }

    @Override
    public long size(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return s3.headObject(b -> b.bucket(bucket).key(objectKey)).contentLength();
        } catch (SdkException e) {
            if (notFound(e)) {
                throw noSuchBlob(key, e);
            }
            throw failed("look up", key, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            throw failed("delete", key, e);
        }
    }

    @Override
    public void deleteTree(String prefix) throws IOException {
        String listPrefix = objectKey(prefix) + "/";
        try {
            // one page of at most 1,000 keys is one DeleteObjects call; continuation tokens stay valid
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(listPrefix))) {
                List<ObjectIdentifier> ids = new ArrayList<>(page.contents().size());
                for (S3Object object : page.contents()) {
                    ids.add(ObjectIdentifier.builder().key(object.key()).build());
                }
                for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
                    List<ObjectIdentifier> batch = ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH));
                    DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                            .delete(Delete.builder().objects(batch).quiet(true).build()));
                    if (response.hasErrors() && !response.errors().isEmpty()) {
                        var first = response.errors().getFirst();
                        throw new IOException("S3 refused to delete " + response.errors().size() + " objects under "
                                + listPrefix + " in bucket " + bucket + ", first " + first.key() + ": " + first.code()
                                + " " + first.message() + "; check the credentials' s3:DeleteObject permission");
                    }
                }
            }
        } catch (SdkException e) {
            throw failed("delete the tree", prefix, e);
        }
    }

    @Override
    public List<StoredBlob> list(String prefix) throws IOException {
        String listPrefix = objectKey(prefix) + "/";
        int strip = this.prefix.isEmpty() ? 0 : this.prefix.length() + 1;
        List<StoredBlob> blobs = new ArrayList<>();
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(listPrefix))) {
                for (S3Object object : page.contents()) {
                    blobs.add(new StoredBlob(object.key().substring(strip), object.size()));
                }
            }
        } catch (SdkException e) {
            throw failed("list", prefix, e);
        }
        blobs.sort(Comparator.comparing(StoredBlob::key));
        return blobs;
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration ttl, String contentDisposition, String contentType) {
        String objectKey = objectKey(key);
        Duration duration = ttl.compareTo(MAX_PRESIGN) > 0 ? MAX_PRESIGN : ttl;
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a presigned link needs a positive lifetime, not " + ttl);
        }
        var presigned = presigner.presignGetObject(b -> b.signatureDuration(duration)
                .getObjectRequest(g -> g.bucket(bucket).key(objectKey)
                        .responseContentDisposition(contentDisposition)
                        .responseContentType(contentType)));
        try {
            return Optional.of(presigned.url().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL for " + key, e);
        }
    }

    @Override
    public void probe() throws IOException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new IOException("the bucket " + bucket + " did not answer a HEAD request: " + e.getMessage()
                    + "; check sluice.storage.* settings and that the bucket is reachable", e);
        }
    }

    @Override
    public void close() {
        partUploads.shutdownNow();
        presigner.close();
        s3.close();
    }

    /** The bucket's object key of a blob key; refuses keys that would escape the prefix or be ambiguous. */
    private String objectKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")
                || ("/" + key + "/").contains("/../") || ("/" + key + "/").contains("/./")) {
            throw new IllegalArgumentException("not a valid blob key: " + key);
        }
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    private static boolean notFound(SdkException e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s && s.statusCode() == 404;
    }

    private NoSuchFileException noSuchBlob(String key, Exception cause) {
        NoSuchFileException e = new NoSuchFileException(key, null, "no such blob in bucket " + bucket);
        e.initCause(cause);
        return e;
    }

    private IOException failed(String what, String key, SdkException e) {
        return new IOException("could not " + what + " blob " + key + " in bucket " + bucket + ": " + e.getMessage()
                + "; check sluice.storage.* settings and that the bucket is reachable", e);
    }

    private byte[] takeBuffer() {
        byte[] buffer = buffers.poll();
        return buffer != null ? buffer : new byte[PART_SIZE];
    }

    /** Keeps a part-sized buffer for the next blob; a smaller one (a small blob's) is left to the collector. */
    private void returnBuffer(byte[] buffer) {
        if (buffer != null && buffer.length == PART_SIZE) {
            buffers.offer(buffer);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * One object being written: bytes fill a part buffer; a full buffer starts (or continues) a multipart
     * upload. {@link #close()} publishes, {@link #abort()} throws everything away. Not thread-safe.
     */
    private final class Upload extends OutputStream {

        private final String objectKey;
        /** Every part started, in part-number order; those before {@code awaited} are known to have landed. */
        private final List<Future<CompletedPart>> parts = new ArrayList<>();
        private int awaited;
        private byte[] buffer;
        private int filled;
        private String uploadId;
        private boolean failed;
        private boolean done;

        Upload(String objectKey) {
            this.objectKey = objectKey;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (done || failed) {
                throw new IOException("the blob " + objectKey + (done ? " was already closed" : " failed to upload"));
            }
            try {
                while (len > 0) {
                    if (buffer == null) {
                        // a blob past its first part is a big one: its next parts take whole buffers at once
                        buffer = parts.isEmpty() ? new byte[FIRST_BUFFER] : takeBuffer();
                    }
                    int n = Math.min(len, buffer.length - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == buffer.length) {
                        if (buffer.length < PART_SIZE) {
                            grow();
                        } else {
                            uploadPart();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        /** Doubles the full buffer, up to a part (a pooled one when it comes to that). */
        private void grow() {
            int size = Math.min(buffer.length * 2, PART_SIZE);
            byte[] bigger = size == PART_SIZE ? takeBuffer() : new byte[size];
            System.arraycopy(buffer, 0, bigger, 0, filled);
            buffer = bigger;
        }

        /** Publishes; on a failed write or a failed publish nothing replaces what the key held. */
        @Override
        public void close() throws IOException {
            finish();
        }

        void finish() throws IOException {
            if (done) {
                return;
            }
            if (failed) {
                abort();
                throw new IOException("the blob " + objectKey + " was not published because a write to it failed");
            }
            try {
                if (uploadId == null) {
                    byte[] bytes = buffer == null ? new byte[0] : buffer;
                    int length = filled;
                    s3.putObject(b -> b.bucket(bucket).key(objectKey).contentLength((long) length),
                            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                                    "application/octet-stream"));
                } else {
                    if (filled > 0) {
                        uploadPart();
                    }
                    awaitParts(0);
                    List<CompletedPart> completed = new ArrayList<>(parts.size());
                    for (Future<CompletedPart> part : parts) {
                        completed.add(part.resultNow());
                    }
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(completed)));
                }
                done = true;
            } catch (SdkException e) {
                abort();
                throw failed("write", objectKey, e);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            } finally {
                release();
            }
        }

        /** Forgets the content and aborts the multipart upload, if one was started. Never throws. */
        void abort() {
            if (done) {
                return;
            }
            done = true;
            release();
            // parts still uploading would land after the abort and linger: let them end first
            for (Future<CompletedPart> part : parts) {
                try {
                    part.get();
                } catch (ExecutionException e) {
                    // the upload is thrown away anyway
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
                } catch (SdkException e) {
                    // the bucket's lifecycle rule for incomplete uploads cleans up what this could not
                    log.warn("could not abort multipart upload {} of {}: {}", uploadId, objectKey, e.toString());
                }
            }
        }

        /** Starts uploading the full buffer as the next part; waits first while too many parts are uploading. */
        private void uploadPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey)
                            .contentType("application/octet-stream")).uploadId();
                }
            } catch (SdkException e) {
                throw failed("write", objectKey, e);
            }
            awaitParts(PARTS_IN_FLIGHT - 1);
            int partNumber = parts.size() + 1;
            byte[] bytes = buffer;
            int length = filled;
            buffer = null;
            filled = 0;
            String id = uploadId;
            parts.add(partUploads.submit(() -> {
                try {
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(id)
                                    .partNumber(partNumber).contentLength((long) length),
                            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                                    "application/octet-stream")).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                } finally {
                    returnBuffer(bytes);
                }
            }));
        }

        /** Waits until at most {@code uploading} parts are still uploading; throws what a landed part failed with. */
        private void awaitParts(int uploading) throws IOException {
            while (parts.size() - awaited > uploading) {
                try {
                    parts.get(awaited).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SdkException sdk) {
                        throw failed("write", objectKey, sdk);
                    }
                    throw new IOException("could not write blob " + objectKey + ": " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while writing blob " + objectKey);
                }
                awaited++;
            }
        }

        private void release() {
            returnBuffer(buffer);
            buffer = null;
        }
    }
}
