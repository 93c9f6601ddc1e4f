package dev.sluice.server.compat.verification;

import dev.sluice.core.ingest.FileLoader;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.ingest.MalformedFileException;
import dev.sluice.core.ingest.MalformedReason;
import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.ApiKeyKind;
import dev.sluice.server.account.Caller;
import dev.sluice.server.account.CreditStore;
import dev.sluice.server.ingest.BatchIntake;
import dev.sluice.server.ingest.IngestProperties;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.Operation;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Email batch tasks on the native core: an upload becomes one native verify job (CSV output) with one
 * batch; status, counters and the result are the native ones. What this adds: the 52-character task id,
 * the {@code downloaded} mark and the credit charge taken by the first download.
 */
@Service
public class EmailBatchService {

    private static final Logger log = LoggerFactory.getLogger(EmailBatchService.class);

    /** 42 random hex characters and the start date make the seed's 52-character ids. */
    private static final int RANDOM_HEX_CHARACTERS = 42;
    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountService accounts;
    private final JobService jobs;
    private final BatchIntake intake;
    private final BlobStorage storage;
    private final EmailBatchStore store;
    private final CreditStore credits;
    private final TransactionTemplate tx;
    private final IngestProperties ingest;
    private final VerificationCompatProperties properties;
    private final Clock clock;

    public EmailBatchService(AccountService accounts, JobService jobs, BatchIntake intake, BlobStorage storage,
            EmailBatchStore store, CreditStore credits, TransactionTemplate tx, IngestProperties ingest,
            VerificationCompatProperties properties, Clock clock) {
        this.accounts = accounts;
        this.jobs = jobs;
        this.intake = intake;
        this.storage = storage;
        this.store = store;
        this.credits = credits;
        this.tx = tx;
        this.ingest = ingest;
        this.properties = properties;
        this.clock = clock;
    }

    /** A task and the native batch behind it. */
    public record Task(EmailBatchJob job, Batch batch) {

        public EmailBatchStatus status() {
            return EmailBatchStatus.of(batch.status(), job.downloaded());
        }
    }

    /** Something that can be read twice: the pre-count reads it once, the native upload again. */
    @FunctionalInterface
    public interface Upload {
        InputStream open() throws IOException;
    }

    /** The caller of an {@code lqtkey}, or {@link EmailBatchError#INVALID_KEY}. */
    public Caller caller(String lqtkey) {
        if (lqtkey == null || lqtkey.isBlank()) {
            throw new EmailBatchException(EmailBatchError.INVALID_KEY,
                    "no license key: pass it as the lqtkey query parameter");
        }
        return accounts.authenticate(lqtkey)
                .orElseThrow(() -> new EmailBatchException(EmailBatchError.INVALID_KEY, "the lqtkey is not a valid key"));
    }

    /** The credit cost of {@code records} email records. */
    public long cost(long records) {
        return Math.multiplyExact(records, properties.creditsPerRecord());
    }

    /**
     * Counts the file's records, refuses it when an evaluation key goes over its limit or the balance does
     * not cover the estimate, then creates the native job and batch. A file the loader cannot read is still
     * accepted: its native batch ends {@code malformed}, which the seed calls {@code file_error}.
     */
    public Task submit(Caller caller, String fileName, long size, Upload upload) throws IOException {
        if (fileName == null || !fileName.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new EmailBatchException(EmailBatchError.INVALID_FILE_TYPE,
                    "the file must have the .csv extension (values comma separated or tab delimited), was '"
                            + fileName + "'");
        }
        if (size > ingest.maxFileSize().toBytes()) {
            throw new EmailBatchException(EmailBatchError.FILE_TOO_LARGE, "the file has " + size
                    + " bytes, more than the limit of " + ingest.maxFileSize().toBytes() + "; split it into smaller files");
        }
        long records = count(caller, upload);
        long estimate = cost(records);
        OptionalLong balance = credits.balance(caller.accountId());
        if (balance.isPresent() && balance.getAsLong() < estimate) {
            throw new EmailBatchException(EmailBatchError.INSUFFICIENT_CREDIT, "the batch needs about " + estimate
                    + " credits and the balance is " + balance.getAsLong() + "; add credit or upload a smaller file");
        }
        Job job = jobs.create(caller, new JobService.NewJob(fileName, Operation.VERIFY, Map.of(), ResultFormat.CSV,
                null, null), null, null).job();
        Batch batch;
        try (InputStream in = upload.open()) {
            batch = intake.uploadNow(caller, job, fileName, in, size);
        } catch (IOException | RuntimeException e) {
            jobs.delete(job);
            throw e;
        }
        Instant now = clock.instant();
        EmailBatchJob task = new EmailBatchJob(newJobId(now), caller.accountId(), job.id(), batch.id(), fileName,
                records, now, null, null);
        store.insert(task);
        log.info("email batch {} submitted as job={} batch={} ({} records)", task.jobId(), job.id(), batch.id(), records);
        return new Task(task, batch);
    }

    /** The account's tasks, newest first, each with its native batch. */
    public List<Task> list(Caller caller) {
        return store.all(caller.accountId()).stream()
                .flatMap(job -> jobs.batch(caller, job.nativeJobId(), job.nativeBatchId()).map(b -> new Task(job, b)).stream())
                .toList();
    }

    public Task find(Caller caller, String jobId) {
        EmailBatchJob job = store.find(caller.accountId(), jobId).orElseThrow(() -> notFound(jobId));
        Batch batch = jobs.batch(caller, job.nativeJobId(), job.nativeBatchId()).orElseThrow(() -> notFound(jobId));
        return new Task(job, batch);
    }

    /**
     * Marks the first download and charges it (both or neither), then returns the task as it now is. Later
     * downloads of a {@code downloaded} task are free.
     */
    public Task download(Caller caller, String jobId) throws IOException {
        Task task = find(caller, jobId);
        EmailBatchStatus status = task.status();
        if (status != EmailBatchStatus.COMPLETE && status != EmailBatchStatus.DOWNLOADED) {
            throw new EmailBatchException(EmailBatchError.NOT_READY, "the batch task is " + status.wire()
                    + "; download it once GET /email/batch/" + jobId + " says complete");
        }
        if (task.batch().resultName() == null || !storage.exists(BlobKeys.result(task.batch()))) {
            throw new EmailBatchException(EmailBatchError.FILE_EXPIRED,
                    "the processed file of " + jobId + " has passed its retention and was deleted; upload the list again");
        }
        if (!task.job().downloaded()) {
            // a repeated address is verified once and charged once
            long cost = cost(task.batch().records().total() - task.batch().records().duplicates());
            tx.executeWithoutResult(s -> {
                if (store.markDownloaded(task.job(), cost, clock.instant()) && !credits.charge(caller.accountId(), cost)) {
                    throw new EmailBatchException(EmailBatchError.INSUFFICIENT_CREDIT, "the batch costs " + cost
                            + " credits and the balance is " + credits.balance(caller.accountId()).orElse(0)
                            + "; add credit and download again");
                }
            });
        }
        return find(caller, jobId);
    }

    /** Writes the task's verified CSV: the native result with the seed's columns. */
    public void writeVerified(Task task, OutputStream out) throws IOException {
        try (InputStream in = storage.open(BlobKeys.result(task.batch()))) {
            VerifiedFile.rewrite(in, task.batch().columns().size(), out);
        }
    }

    private long count(Caller caller, Upload upload) throws IOException {
        boolean evaluation = caller.keyKind() == ApiKeyKind.EVALUATION;
        long limit = caller.recordLimit(ingest.maxRecords());
        try (InputStream in = upload.open()) {
            return new FileLoader(new LoadOptions("email", Integer.MAX_VALUE, limit))
                    .load(in, chunk -> OutputStream.nullOutputStream()).records();
        } catch (MalformedFileException e) {
            if (evaluation && e.reason() == MalformedReason.TOO_MANY_RECORDS) {
                throw new EmailBatchException(EmailBatchError.EVALUATION_LIMIT_EXCEEDED, "files uploaded with an"
                        + " evaluation key are limited to " + ApiKeyKind.EVALUATION_RECORD_LIMIT
                        + " records; split the file or use a live key");
            }
            return 0;
        }
    }

    private static String newJobId(Instant now) {
        byte[] random = new byte[RANDOM_HEX_CHARACTERS / 2];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random) + ID_DATE.format(now);
    }

    private static EmailBatchException notFound(String jobId) {
        return new EmailBatchException(EmailBatchError.JOB_NOT_FOUND,
                "no batch task " + jobId + " for this key; GET /email/batch lists them");
    }

    /** Native refusals of the upload, spoken as this front door's errors. */
    static EmailBatchException translate(ProblemException e) {
        return translate(e.problem(), e.getMessage());
    }

    /** A refusal of the native core, or of the front-door kit, in this door's terms. */
    static EmailBatchException translate(Problem problem, String message) {
        EmailBatchError error = problem == Problem.PAYLOAD_TOO_LARGE ? EmailBatchError.FILE_TOO_LARGE
                : problem == Problem.UNAUTHORIZED ? EmailBatchError.INVALID_KEY
                : problem == Problem.NOT_FOUND ? EmailBatchError.JOB_NOT_FOUND
                : problem == Problem.UNSUPPORTED_MEDIA_TYPE ? EmailBatchError.UNSUPPORTED_MEDIA_TYPE
                : problem.status() >= 500 ? EmailBatchError.SERVER_ERROR : EmailBatchError.INVALID_REQUEST;
        return new EmailBatchException(error, message);
    }
}
