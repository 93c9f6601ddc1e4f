package dev.sluice.server.ingest;

import dev.sluice.server.account.Caller;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.BatchSource;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobStatus;
import dev.sluice.server.job.StorageQuota;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.BlobInfo;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.BlobTooLargeException;
import dev.sluice.server.storage.StorageSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three ways records come in: a signed upload URL, a multipart upload, and inline records. Each ends
 * the same way: the input is stored whole, and in one transaction the batch is queued and its load task
 * scheduled.
 */
@Service
public class BatchIntake {

    /** Upload links point here, followed by the batch id. */
    public static final String UPLOAD_PATH = "/api/v1/uploads/";

    /** Download links of results point here, followed by the batch id and the result's file name. */
    public static final String DOWNLOAD_PATH = "/api/v1/downloads/";

    private final BatchLifecycle batches;
    private final BlobStorage storage;
    private final TransactionTemplate tx;
    private final UrlSigner signer;
    private final IngestProperties properties;
    private final Clock clock;
    private final StorageSpace space;
    private final StorageQuota quota;
    private final JsonMapper json;

    public BatchIntake(BatchLifecycle batches, BlobStorage storage, TransactionTemplate tx, UrlSigner signer,
            IngestProperties properties, Clock clock, StorageSpace space, StorageQuota quota, JsonMapper json) {
        this.batches = batches;
        this.storage = storage;
        this.tx = tx;
        this.signer = signer;
        this.properties = properties;
        this.clock = clock;
        this.space = space;
        this.quota = quota;
        this.json = json;
    }

    /** A batch waiting for its file, and the signed link to PUT it to. */
    public record UploadTicket(Batch batch, UrlSigner.Signed uploadUrl) {
    }

    public UploadTicket createForUpload(Caller caller, Job job) {
        requireOpen(job);
        Instant now = clock.instant();
        Batch batch = newBatch(caller, job, BatchSource.UPLOAD, null, now.plus(properties.uploadUrlTtl()));
        tx.executeWithoutResult(status -> {
            if (!batches.insert(batch, "batch created, waiting for its upload", now)) {
                throw refused(job);
            }
        });
        return new UploadTicket(reread(batch), uploadUrl(batch));
    }

    /**
     * A fresh upload link for a batch still waiting for its file, valid for {@code sluice.ingest.upload-url-ttl}
     * from now; the old link keeps its own expiry. A batch that has its file, or ended, answers 409.
     */
    public UploadTicket renewUploadLink(Batch batch) {
        Batch current = batch;
        for (int attempt = 0; attempt < 5 && current != null; attempt++) {
            if (current.status() != BatchStatus.WAITING_FOR_UPLOAD) {
                break;
            }
            Instant now = clock.instant();
            if (batches.renewUploadLink(current, now.plus(properties.uploadUrlTtl()), now)) {
                Batch renewed = batches.find(current.id()).orElseThrow();
                return new UploadTicket(renewed, uploadUrl(renewed));
            }
            current = batches.find(current.id()).orElse(null);
        }
        String status = current == null ? "deleted" : current.status().wire();
        throw new ProblemException(Problem.CONFLICT, "batch " + batch.id() + " is " + status
                + "; only a batch waiting for its upload gets a new link");
    }

    /** Whether the batch's upload link still works at {@code now}. */
    public static boolean uploadLinkValid(Batch batch, Instant now) {
        return batch.status() == BatchStatus.WAITING_FOR_UPLOAD && batch.uploadExpiresAt() != null
                && batch.uploadExpiresAt().isAfter(now);
    }

    /** The signed upload link of a batch still waiting for its file. */
    public UrlSigner.Signed uploadUrl(Batch batch) {
        return signer.sign("PUT", UPLOAD_PATH + batch.id(), batch.uploadExpiresAt());
    }

    /** The path of a completed batch's result download, to be signed for {@code GET}. */
    public static String downloadPath(Batch batch) {
        return DOWNLOAD_PATH + batch.id() + "/" + resultFileName(batch);
    }

    /** The file name of a batch's result: an export names its zip itself (as its copy in the SFTP drop). */
    public static String resultFileName(Batch batch) {
        return isZipResult(batch) ? batch.resultName() : batch.id() + "_result." + batch.resultFormat().extension();
    }

    /** Whether the batch's result is a zip (an export), served as {@code application/zip}. */
    public static boolean isZipResult(Batch batch) {
        return batch.resultName() != null && batch.resultName().endsWith(".zip");
    }

    /**
     * Takes the file PUT to a batch's upload link (whose signature the caller has checked). The body is
     * streamed to storage; over the size limit nothing is kept and the batch keeps waiting.
     */
    public Batch acceptUpload(String batchId, InputStream body, long declaredLength) throws IOException {
        Batch batch = batches.find(batchId).orElseThrow(() -> ProblemException.notFound("batch", batchId));
        if (batch.status() != BatchStatus.WAITING_FOR_UPLOAD) {
            throw new ProblemException(Problem.CONFLICT,
                    "batch " + batchId + " is " + batch.status().wire() + "; it takes one upload only");
        }
        checkDeclaredSize(declaredLength, properties.maxFileSize().toBytes());
        space.requireRoomForUpload();
        long room = quota.roomForUpload(batch.accountId(), Math.max(0, declaredLength));
        String key = BlobKeys.newInput(batch);
        BlobInfo info = store(batch, key, body, properties.maxFileSize().toBytes(), room);
        return queue(batch, null, key, info);
    }

    /** A batch whose file comes in the same request. */
    public Batch uploadNow(Caller caller, Job job, String fileName, InputStream file, long declaredLength)
            throws IOException {
        requireOpen(job);
        checkDeclaredSize(declaredLength, properties.maxFileSize().toBytes());
        space.requireRoomForUpload();
        long room = quota.roomForUpload(caller.accountId(), Math.max(0, declaredLength));
        Batch batch = newBatch(caller, job, BatchSource.MULTIPART, fileName, null);
        String key = BlobKeys.newInput(batch);
        BlobInfo info = store(batch, key, file, properties.maxFileSize().toBytes(), room);
        return insertAndQueue(batch, key, info);
    }

    /** What an inline body holds besides its records; {@link InlineCheck} looks at it before anything is kept. */
    public record InlineShape(boolean array, boolean records, Map<String, Object> attributes) {
    }

    /** The caller's checks of an inline body's shape; throws (400) when the body is not what it takes. */
    @FunctionalInterface
    public interface InlineCheck {

        void check(InlineShape shape);
    }

    /**
     * A batch of inline records from a JSON body: each record a JSON object (its keys become columns) or a plain
     * string (an email). The body is streamed to storage like an upload (over
     * {@code sluice.ingest.max-inline-size}: 413, nothing kept), read twice as a stream of tokens, once to check
     * it and find the columns and once to write the CSV file that follows the same path as an upload; memory
     * use is one record and the column names, whatever the body's size. {@code attributes}: whether the root
     * object's other properties are read for {@code check}.
     */
    public Batch inline(Caller caller, Job job, InputStream body, boolean attributes, InlineCheck check)
            throws IOException {
        requireOpen(job);
        try {
            return spoolInline(caller, job, body, attributes, check);
        } catch (NoSuchFileException e) {
            // the job was deleted meanwhile, and its purge took the files this batch had written so far
            throw new ProblemException(Problem.NOT_FOUND, "no job " + job.id() + ": it was deleted while this batch "
                    + "was being added");
        }
    }

    private Batch spoolInline(Caller caller, Job job, InputStream body, boolean attributes, InlineCheck check)
            throws IOException {
        long max = properties.maxInlineSize().toBytes();
        space.requireRoomForUpload();
        long room = quota.roomForUpload(caller.accountId(), 0);
        Batch batch = newBatch(caller, job, BatchSource.INLINE, null, null);
        String key = BlobKeys.newInput(batch);
        String spooled = key + ".json";
        try {
            try {
                storage.put(spooled, body, max);
            } catch (BlobTooLargeException e) {
                throw new ProblemException(Problem.PAYLOAD_TOO_LARGE,
                        "inline batches take at most " + max + " bytes; upload a batch-file for more");
            }
            InlineJson.Scan scan;
            try (InputStream in = storage.open(spooled)) {
                scan = InlineJson.scan(json, in, attributes);
            }
            check.check(new InlineShape(scan.records() == InlineJson.Records.ROOT,
                    scan.records() == InlineJson.Records.ROOT || scan.records() == InlineJson.Records.PROPERTY,
                    scan.attributes()));
            if (scan.count() == 0) {
                throw new ProblemException(Problem.INVALID_REQUEST, "'records' must be a non-empty array");
            }
            long limit = caller.recordLimit(properties.maxRecords());
            if (scan.count() > limit) {
                throw new ProblemException(Problem.PAYLOAD_TOO_LARGE,
                        scan.count() + " records are more than the limit of " + limit + " for this key");
            }
            if (scan.invalid() != null) {
                throw new ProblemException(Problem.INVALID_REQUEST, scan.invalid());
            }
            storage.write(key, out -> {
                try (InputStream in = storage.open(spooled)) {
                    InlineJson.writeCsv(json, in, scan.columns(), out);
                }
            });
        } finally {
            storage.delete(spooled);
        }
        long size = storage.size(key);
        if (size > room) {
            storage.delete(key);
            throw quota.overQuota(quota.quotaBytes() - room);
        }
        return insertAndQueue(batch, key, new BlobInfo(size, null));
    }

    private Batch newBatch(Caller caller, Job job, BatchSource source, String fileName, Instant uploadExpiresAt) {
        return BatchLifecycle.newBatch(job, source, fileName, null, uploadExpiresAt,
                caller.recordLimit(properties.maxRecords()));
    }

    private Batch insertAndQueue(Batch batch, String key, BlobInfo info) throws IOException {
        Instant now = clock.instant();
        try {
            tx.executeWithoutResult(status -> {
                if (!batches.insert(batch, null, now)) {
                    throw refused(batch);
                }
                Batch inserted = batches.find(batch.id()).orElseThrow();
                queueInTransaction(inserted, batch.fileName(), key, info, now);
            });
        } catch (RuntimeException e) {
            // the batch was never stored: everything under its key is this request's
            storage.deleteTree(BlobKeys.batch(batch));
            throw e;
        }
        return reread(batch);
    }

    private Batch queue(Batch batch, String fileName, String key, BlobInfo info) throws IOException {
        Instant now = clock.instant();
        boolean queued = Boolean.TRUE.equals(tx.execute(status -> queueInTransaction(batch, fileName, key, info, now)));
        if (!queued) {
            Optional<Batch> current = batches.find(batch.id());
            if (current.isPresent()) {
                storage.delete(key);
            } else {
                storage.deleteTree(BlobKeys.batch(batch)); // its job was deleted meanwhile
            }
            throw current
                    .map(b -> new ProblemException(Problem.CONFLICT, "batch " + batch.id()
                            + " changed during the upload (" + b.status().wire() + ")"))
                    .orElseGet(() -> ProblemException.notFound("batch", batch.id()));
        }
        return reread(batch);
    }

    private boolean queueInTransaction(Batch batch, String fileName, String key, BlobInfo info, Instant now) {
        return batches.queue(batch, fileName, key, info.size(), info.sha256(),
                "input stored (" + info.size() + " bytes), queued for loading", now);
    }

    /**
     * Stores an upload of at most {@code max} bytes, and at most {@code room} left by the account's quota. A job
     * deleted meanwhile answers 404: its purge took the folder the upload was written into (on local disk).
     */
    private BlobInfo store(Batch batch, String key, InputStream in, long max, long room) throws IOException {
        try {
            return storage.put(key, in, Math.min(max, room));
        } catch (NoSuchFileException e) {
            throw new ProblemException(Problem.NOT_FOUND, "no job " + batch.jobId() + ": it was deleted while the "
                    + "file of batch " + batch.id() + " was being uploaded");
        } catch (BlobTooLargeException e) {
            if (room < max) {
                throw quota.overQuota(quota.quotaBytes() - room);
            }
            throw new ProblemException(Problem.PAYLOAD_TOO_LARGE, e.getMessage());
        }
    }

    private static void checkDeclaredSize(long declared, long max) {
        if (declared > max) {
            throw new ProblemException(Problem.PAYLOAD_TOO_LARGE,
                    "the file has " + declared + " bytes, more than the limit of " + max + "; split it into smaller files");
        }
    }

    /** The batch as stored now; a job deleted a moment after the batch joined it answers 404. */
    private Batch reread(Batch batch) {
        return batches.find(batch.id()).orElseThrow(() -> ProblemException.notFound("job", batch.jobId()));
    }

    /** The job moved on (cancelled or deleted) between the caller's read and the batch's insert. */
    private static ProblemException refused(Job job) {
        return refused(job.id());
    }

    private static ProblemException refused(Batch batch) {
        return refused(batch.jobId());
    }

    private static ProblemException refused(String jobId) {
        return new ProblemException(Problem.CONFLICT, "job " + jobId
                + " was cancelled or deleted meanwhile and takes no more batches");
    }

    private static void requireOpen(Job job) {
        if (job.status() != JobStatus.OPEN) {
            throw new ProblemException(Problem.CONFLICT, "job " + job.id() + " is " + job.status().wire()
                    + " and takes no more batches");
        }
    }
}
