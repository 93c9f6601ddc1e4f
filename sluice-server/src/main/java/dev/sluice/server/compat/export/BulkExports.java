package dev.sluice.server.compat.export;

import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.account.Caller;
import dev.sluice.server.dataset.DatasetService;
import dev.sluice.server.drop.DropKeys;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.Operations;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Export requests as native export jobs: submitting creates an XML export job of the dataset with this
 * front door's retention, inquiring reads the job's one batch and whether its file is in the SFTP drop.
 */
@Service
class BulkExports {

    /** The native export's messages name its options ({@code options.fields}); here they are top-level fields. */
    private static final Pattern OPTIONS_PREFIX = Pattern.compile("\\boptions\\.");

    private final JobService jobs;
    private final DatasetService datasets;
    private final Operations operations;
    private final BlobStorage storage;
    private final CompatExportProperties properties;
    private final Clock clock;

    BulkExports(JobService jobs, DatasetService datasets, Operations operations, BlobStorage storage,
            CompatExportProperties properties, Clock clock) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.operations = operations;
        if (operations.producer(Operation.EXPORT).isEmpty()) {
            throw new IllegalStateException("the export operation is not registered");
        }
        this.storage = storage;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * An export request as the front door shows it.
     *
     * @param job the native job (its id is the request id)
     * @param batch the job's one batch, which writes the file
     * @param dataset the exported dataset's name
     * @param fileName the zip's name in the drop's {@code exports/} folder
     * @param status the request's status word
     * @param expired whether the file's time in the drop is over (it is deleted, or about to be)
     */
    record Export(Job job, Batch batch, String dataset, String fileName, ExportStatus status, boolean expired) {
    }

    /** Queues the export; 404 ({@link ProblemException}) for an unknown dataset, 400 for fields or a filter it lacks. */
    Export submit(Caller caller, ExportRequest request) throws IOException {
        datasets.get(caller, request.dataset());
        Job job;
        try {
            job = jobs.create(caller, new JobService.NewJob("bulk export of " + request.dataset(), Operation.EXPORT,
                    request.options(), ResultFormat.XML, null, properties.retention()), null, null).job();
        } catch (ProblemException e) {
            if (e.problem() == Problem.INVALID_REQUEST) {
                throw BulkExportException.invalid(OPTIONS_PREFIX.matcher(e.getMessage()).replaceAll(""));
            }
            throw e;
        }
        return view(job).orElseThrow();
    }

    /** The caller's export request with this id; another account's, or a job that is none, is empty. */
    Optional<Export> find(Caller caller, String requestId) throws IOException {
        Optional<Job> job = jobs.find(caller, requestId);
        return job.isPresent() ? view(job.get()) : Optional.empty();
    }

    /**
     * The job as an export request: a native export of a dataset to XML, whichever door created it (its
     * file is the same); any other job is not one.
     */
    private Optional<Export> view(Job job) throws IOException {
        if (job.operation() != Operation.EXPORT || job.outputFormat() != ResultFormat.XML
                || !(job.options().get(ExportRequest.DATASET) instanceof String dataset)) {
            return Optional.empty();
        }
        List<Batch> batches = jobs.batches(job);
        if (batches.isEmpty()) {
            return Optional.empty();
        }
        Batch batch = batches.getFirst();
        String fileName = batch.resultName() != null ? batch.resultName()
                : operations.producedResultName(job, batch).orElseThrow();
        Instant now = clock.instant();
        boolean expired = batch.status() == BatchStatus.COMPLETED && batch.resultExpiresAt() != null
                && !now.isBefore(batch.resultExpiresAt());
        boolean placed = batch.status() == BatchStatus.COMPLETED
                && (expired || storage.exists(DropKeys.exportFile(job.accountId(), fileName)));
        return Optional.of(new Export(job, batch, dataset, fileName, ExportStatus.of(batch.status(), placed), expired));
    }
}
