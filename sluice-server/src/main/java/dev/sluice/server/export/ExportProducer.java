package dev.sluice.server.export;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.InvalidValueException;
import dev.sluice.core.export.ExportWriter;
import dev.sluice.core.export.ExportZip;
import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetStore;
import dev.sluice.server.drop.DropKeys;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.BatchRejectedException;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.Counter;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.OutputProducer;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code export} operation: one zipped file from a dataset or from a finished job's results.
 *
 * <p>A dataset export writes one entry {@code export-<dataset>.<ext>} with the chosen fields (all by
 * default) of the records equal to the filter, in row-id order, streamed from a cursor. A job export
 * writes one entry per completed batch of that job, its result file byte for byte
 * ({@code <batch>_<result name>}), in the job's own format. The file is named
 * {@code export-<dataset or job>-<batch>.<ext>.zip}, unique per batch, so that a drop copy never replaces
 * another export's and the purge deletes only its own.
 */
@Component
class ExportProducer implements OutputProducer<ExportOptions> {

    /** Records written to the file; stored and shown as {@code completed}. */
    static final Counter WRITTEN = new Counter("written", Counter.Slot.COMPLETED,
            "records written to the file (dataset records, or the records of the exported job's results)");
    static final List<Counter> COUNTERS = List.of(WRITTEN);

    private static final Logger log = LoggerFactory.getLogger(ExportProducer.class);

    /** Batch statuses of a job that is still working; its results cannot be exported yet. */
    private static final Set<BatchStatus> RUNNING = EnumSet.of(BatchStatus.QUEUED, BatchStatus.LOADING,
            BatchStatus.IN_PROGRESS);

    private final DatasetStore datasets;
    private final ExportStore exports;
    private final BatchLifecycle batches;
    private final BlobStorage storage;
    private final Clock clock;

    ExportProducer(DatasetStore datasets, ExportStore exports, BatchLifecycle batches, BlobStorage storage,
            Clock clock) {
        this.datasets = datasets;
        this.exports = exports;
        this.batches = batches;
        this.storage = storage;
        this.clock = clock;
    }

    @Override
    public Operation operation() {
        return Operation.EXPORT;
    }

    @Override
    public ExportOptions parse(String accountId, Map<String, Object> options) {
        ExportOptions export = ExportOptions.parse(options);
        if (export.dataset() != null) {
            plan(accountId, export);
        } else {
            sourceBatches(accountId, export);
        }
        return export;
    }

    @Override
    public ExportOptions read(Map<String, Object> options) {
        return ExportOptions.parse(options);
    }

    @Override
    public List<Counter> counters() {
        return COUNTERS;
    }

    @Override
    public String resultName(Job job, ExportOptions export, Batch batch) {
        if (export.dataset() != null) {
            return "export-" + export.dataset() + "-" + batch.id() + "." + export.formatOr(job.outputFormat()).extension()
                    + ".zip";
        }
        return "export-" + export.jobId() + "-" + batch.id() + ".zip";
    }

    @Override
    public RecordCounts produce(Job job, ExportOptions export, Batch batch, OutputStream result) throws IOException {
        long records;
        try (ExportZip zip = new ExportZip(result)) {
            records = export.dataset() != null ? writeDataset(job, export, zip) : writeResults(job, export, zip);
        }
        return RecordCounts.processedOnly(records).plus(WRITTEN, records);
    }

    /** Copies the file into the account's SFTP drop, under {@code exports/} with the same name. */
    @Override
    public void published(Job job, Batch batch, String resultKey) throws IOException {
        String dropKey = dropKey(batch.accountId(), batch.resultName());
        storage.write(dropKey, out -> {
            try (InputStream in = storage.open(resultKey)) {
                in.transferTo(out);
            }
        });
        log.info("export placed in the SFTP drop: job={} batch={} file={}", job.id(), batch.id(), batch.resultName());
    }

    /** Deletes the drop copy when the batch's retention ends. */
    @Override
    public void expired(Batch batch) throws IOException {
        storage.delete(dropKey(batch.accountId(), batch.resultName()));
    }

    /** Where the drop copy of a result named {@code resultName} lives. */
    static String dropKey(String accountId, String resultName) {
        return DropKeys.exportFile(accountId, resultName);
    }

    private long writeDataset(Job job, ExportOptions export, ExportZip zip) throws IOException {
        Plan plan;
        try {
            plan = plan(job.accountId(), export);
        } catch (IllegalArgumentException e) {
            throw new BatchRejectedException("invalid_options", e.getMessage());
        }
        ResultFormat format = export.formatOr(job.outputFormat());
        OutputStream entry = zip.next("export-" + export.dataset() + "." + format.extension());
        ExportWriter writer = ExportWriter.open(format, plan.fields().stream().map(Column::name).toList(), entry);
        long records = exports.stream(plan.dataset(), plan.fields(), plan.filter(), writer::write);
        writer.finish();
        return records;
    }

    private long writeResults(Job job, ExportOptions export, ExportZip zip) throws IOException {
        List<Batch> sources;
        try {
            sources = sourceBatches(job.accountId(), export);
        } catch (IllegalArgumentException e) {
            throw new BatchRejectedException("invalid_options", e.getMessage());
        }
        long records = 0;
        for (Batch source : sources) {
            String key = BlobKeys.result(source);
            if (!storage.exists(key)) {
                throw new BatchRejectedException("source_gone", "the result of batch " + source.id()
                        + " is no longer stored; it expired while the export ran");
            }
            try (InputStream in = storage.open(key)) {
                in.transferTo(zip.next(source.id() + "_" + source.resultName()));
            }
            records += source.records().processed();
        }
        return records;
    }

    /** The dataset, the columns to write and the typed filter; {@link IllegalArgumentException} when wrong. */
    private Plan plan(String accountId, ExportOptions export) {
        Dataset dataset = datasets.find(accountId, export.dataset()).orElseThrow(() -> new IllegalArgumentException(
                "options.dataset: there is no dataset named '" + export.dataset() + "' in this account"));
        List<Column> fields = new ArrayList<>();
        if (export.fields().isEmpty()) {
            fields.addAll(dataset.schema().columns());
        }
        for (String name : export.fields()) {
            fields.add(column(dataset, "options.fields", name));
        }
        Map<Column, Object> filter = new LinkedHashMap<>();
        for (Map.Entry<String, Object> condition : export.filter().entrySet()) {
            Column column = column(dataset, "options.filter", condition.getKey());
            Object raw = condition.getValue();
            try {
                filter.put(column, raw == null ? null : column.type().parse(String.valueOf(raw)));
            } catch (InvalidValueException e) {
                throw new IllegalArgumentException("options.filter." + column.name() + ": " + e.getMessage());
            }
        }
        return new Plan(dataset, List.copyOf(fields), filter);
    }

    private static Column column(Dataset dataset, String option, String name) {
        return dataset.schema().column(name).orElseThrow(() -> new IllegalArgumentException(option + ": '" + name
                + "' is not a column of dataset " + dataset.name() + "; its columns are "
                + dataset.schema().columns().stream().map(Column::name).toList()));
    }

    /** The completed batches of a finished job of the account whose results are still stored. */
    private List<Batch> sourceBatches(String accountId, ExportOptions export) {
        Job source = batches.job(accountId, export.jobId()).orElseThrow(() -> new IllegalArgumentException(
                "options.job_id: there is no job " + export.jobId() + " in this account"));
        if (source.operation() == Operation.EXPORT) {
            throw new IllegalArgumentException("options.job_id: job " + source.id()
                    + " is an export; download its file or take it from the SFTP drop instead");
        }
        if (export.format() != null && export.format() != source.outputFormat()) {
            throw new IllegalArgumentException("options.format: the results of job " + source.id() + " are "
                    + source.outputFormat().wire() + "; an export of them cannot change the format, leave it out");
        }
        List<Batch> all = batches.ofJob(source.id());
        if (all.stream().anyMatch(b -> RUNNING.contains(b.status()))) {
            throw new IllegalArgumentException("options.job_id: job " + source.id()
                    + " is still processing; export it once its batches are finished");
        }
        List<Batch> done = all.stream().filter(b -> b.status() == BatchStatus.COMPLETED && b.resultName() != null
                && (b.resultExpiresAt() == null || b.resultExpiresAt().isAfter(clock.instant()))).toList();
        if (done.isEmpty()) {
            throw new IllegalArgumentException("options.job_id: job " + source.id()
                    + " has no completed batch whose result is still stored");
        }
        return done;
    }

    private record Plan(Dataset dataset, List<Column> fields, Map<Column, Object> filter) {
    }
}
