package dev.sluice.server.dataset.imports;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.InvalidValueException;
import dev.sluice.core.dataset.Schema;
import dev.sluice.core.ingest.ChunkReader;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetStore;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchRejectedException;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.job.ChunkProcessor;
import dev.sluice.server.job.Counter;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.job.SideFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The import operation. Chunks only read: each record is mapped to the dataset's columns and typed, and the
 * part keeps it as a staged line or a failure line. Everything that changes the database happens in
 * {@link #complete}, inside the transaction that completes the batch, so the dataset changes all at once
 * or not at all.
 *
 * <p>Part format (UTF-8 CSV, LF, no header), one line per record in file order:
 * {@code index,ok,<value of each dataset column in schema order>} with canonical text per type (integers
 * and decimals plain, booleans {@code true/false}, dates ISO, timestamps ISO with offset in UTC) and an
 * empty unquoted field for null (unmapped or blank); or {@code index,failed,<error>}. {@code index} is the
 * record's 0-based position among the file's records.
 *
 * <p>The result file is {@code summary.json}: {@code {"dataset", "import_type", "records", "staged",
 * "failed"}} as known when the parts are assembled; the final completed / ignored split is in the batch's
 * counters and the per-record outcomes.
 */
@Component
class ImportProcessor implements ChunkProcessor<ImportOptions> {

    private static final Logger log = LoggerFactory.getLogger(ImportProcessor.class);

    static final String OK = "ok";
    static final String FAILED = "failed";
    static final String RESULT_NAME = "summary.json";

    /** Records applied to the dataset (inserted, updated or replaced), counted when the batch completes. */
    static final Counter APPLIED = new Counter("completed", Counter.Slot.COMPLETED,
            "records applied to the dataset (inserted, updated or replaced) when the batch completed");
    /** Records refused with a reason (a value that does not fit its column), counted as chunks are staged. */
    static final Counter FAILED_RECORDS = new Counter("failed", Counter.Slot.FAILED,
            "records refused with a reason, one outcome each");
    /** Records that changed nothing: skipped by the import type, or staged by a batch that never completed. */
    static final Counter IGNORED = new Counter("ignored", Counter.Slot.IGNORED,
            "records that changed nothing: skipped by the import type, or staged by a batch that did not complete");
    static final List<Counter> COUNTERS = List.of(APPLIED, FAILED_RECORDS, IGNORED);

    /** Failures named in the message of a batch over its threshold. */
    private static final int FAILURES_IN_MESSAGE = 3;

    private final DatasetStore datasets;
    private final ImportStore imports;
    private final OutcomeStore outcomes;

    ImportProcessor(DatasetStore datasets, ImportStore imports, OutcomeStore outcomes) {
        this.datasets = datasets;
        this.imports = imports;
        this.outcomes = outcomes;
    }

    @Override
    public Operation operation() {
        return Operation.IMPORT;
    }

    @Override
    public ImportOptions parse(String accountId, Map<String, Object> options) {
        ImportOptions.checkKeys(options);
        ImportOptions parsed = ImportOptions.parse(options);
        Dataset dataset = datasets.find(accountId, parsed.dataset()).orElseThrow(() -> new IllegalArgumentException(
                "there is no dataset named '" + parsed.dataset() + "' in this account; create it with POST "
                        + "/api/v1/datasets first"));
        parsed.checkAgainst(dataset.schema());
        return parsed;
    }

    @Override
    public ImportOptions read(Map<String, Object> options) {
        return ImportOptions.parse(options);
    }

    @Override
    public List<Counter> counters() {
        return COUNTERS;
    }

    @Override
    public LoadOptions loadOptions(ImportOptions options, Batch batch, int chunkSize) {
        return LoadOptions.forImport(chunkSize, batch.recordLimit(), options.headers(), options.separator());
    }

    @Override
    public RecordCounts process(Job job, ImportOptions options, Batch batch, Chunk chunk, InputStream records,
            OutputStream part, SideFiles sideFiles) throws IOException {
        Optional<Dataset> dataset = datasets.find(job.accountId(), options.dataset());
        String everyRecordFails = null;
        int[] sources = null;
        Schema schema = null;
        if (dataset.isEmpty()) {
            everyRecordFails = "the dataset '" + options.dataset() + "' no longer exists";
        } else {
            schema = dataset.get().schema();
            try {
                sources = options.sources(schema, batch.columns());
            } catch (IllegalArgumentException e) {
                everyRecordFails = e.getMessage();
            }
        }
        long first = chunk.firstRow() - 1;
        long[] counts = new long[2];
        String fatal = everyRecordFails;
        int[] from = sources;
        List<Column> columns = schema == null ? List.of() : schema.columns();
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
                .build(new Unclosed(part), StandardCharsets.UTF_8)) {
            String[] line = new String[2 + columns.size()];
            ChunkReader.read(records, fields -> {
                String index = String.valueOf(first + counts[0]++);
                String error = fatal != null ? fatal : stage(columns, from, fields, line);
                if (error != null) {
                    counts[1]++;
                    csv.writeRecord(index, FAILED, error);
                } else {
                    line[0] = index;
                    line[1] = OK;
                    csv.writeRecord(line);
                }
            });
        }
        return RecordCounts.processedOnly(counts[0]).plus(FAILED_RECORDS, counts[1]);
    }

    /** Always: a chunk only reads (the dataset's schema) and writes its part, so it may run while the load reads on. */
    @Override
    public boolean processesWhileLoading(ImportOptions options) {
        return true;
    }

    /**
     * As {@link #process}: nothing of a chunk reaches the database before the batch completes. A headerless file
     * whose rows widen later has the chunk processed again with the final columns (the load adopts a part only
     * when its columns are the final ones).
     */
    @Override
    public Optional<RecordCounts> processWhileLoading(Job job, ImportOptions options, Batch batch, Chunk chunk,
            DuplicatePlan copies, InputStream records, OutputStream part, SideFiles sideFiles) throws IOException {
        return Optional.of(process(job, options, batch, chunk, records, part, sideFiles));
    }

    /** Fills {@code line[2..]} with the record's canonical values; answers the error instead when one is bad. */
    private static String stage(List<Column> columns, int[] sources, List<String> fields, String[] line) {
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            int source = sources[c];
            String cell = source >= 0 && source < fields.size() ? fields.get(source) : null;
            try {
                line[2 + c] = canonical(column.valueOf(cell));
            } catch (InvalidValueException e) {
                String message = e.getMessage();
                return message.startsWith("'" + column.name() + "'") ? message : column.name() + ": " + message;
            }
        }
        return null;
    }

    /** The one text form of a typed value that both COPY and the SQLite staging read back. */
    static String canonical(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal decimal -> decimal.toPlainString();
            case OffsetDateTime timestamp -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(timestamp);
            default -> value.toString();
        };
    }

    @Override
    public String resultName(Job job, ImportOptions options, Batch batch) {
        return RESULT_NAME;
    }

    @Override
    public void assemble(Job job, ImportOptions options, Batch batch, List<PartSource> parts, OutputStream result)
            throws IOException {
        RecordCounts records = batch.records();
        String summary = "{\"dataset\":\"" + options.dataset() + "\",\"import_type\":\"" + options.importType().wire()
                + "\",\"records\":" + records.total() + ",\"staged\":" + (records.total() - records.failed())
                + ",\"failed\":" + records.failed() + "}\n";
        result.write(summary.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An import that ends without completing applied nothing: the records it staged without error (those
     * with no outcome yet) are ignored, so that processed = completed + failed + ignored still holds.
     */
    @Override
    public RecordCounts unfinished(Batch batch) {
        RecordCounts r = batch.records();
        long withoutOutcome = r.processed() - r.completed() - r.failed() - r.ignored();
        return withoutOutcome > 0 ? RecordCounts.ZERO.plus(IGNORED, withoutOutcome) : RecordCounts.ZERO;
    }

    @Override
    public void forget(Batch batch) {
        outcomes.deleteBatch(batch.id());
    }

    @Override
    public RecordCounts complete(Job job, ImportOptions options, Batch batch, List<PartSource> parts)
            throws IOException {
        Dataset dataset = datasets.find(job.accountId(), options.dataset()).orElseThrow(() ->
                new BatchRejectedException("dataset_not_found", "the dataset '" + options.dataset()
                        + "' was deleted while the import ran; nothing was imported"));
        long total = batch.records().total();
        long failed = batch.records().failed();
        if (options.errorThreshold().exceededBy(failed, total)) {
            throw new BatchRejectedException("error_threshold_exceeded", failed + " of " + total
                    + " records failed, more than the threshold " + options.errorThreshold().describe()
                    + "; the dataset was not changed. First failures: " + firstFailures(parts)
                    + ". Fix the file (or raise errorThreshold) and import again");
        }
        Schema schema = dataset.schema();
        long started = System.nanoTime();
        imports.lock(dataset);
        outcomes.deleteBatch(batch.id());
        StagedParts staged = new StagedParts(parts, schema, total - failed);
        // into an empty dataset the rows go straight in, unless two share a key (the key index refuses the second)
        if (imports.isEmpty(dataset) && imports.loadedInto(dataset, row -> staged.forEachStaged(false, false, row))) {
            outcomes.insert(batch.id(), staged.failures());
            outcomes.insertRuns(batch.id(), Outcome.COMPLETED, staged.staged());
            long inserted = staged.staged().stream().mapToLong(run -> run.last() - run.first() + 1).sum();
            log.info("import applied: batch={} dataset={} into the empty dataset, inserted={} failed={} insert_ms={}",
                    batch.id(), dataset.name(), inserted, staged.failures().size(),
                    (System.nanoTime() - started) / 1_000_000);
            return RecordCounts.ZERO.plus(APPLIED, inserted);
        }
        long tried = System.nanoTime();
        String staging = "stg_" + batch.id().toLowerCase(Locale.ROOT);
        imports.createStaging(staging, schema);
        long count = imports.load(staging, schema, row -> staged.forEachStaged(true, true, row));
        outcomes.insert(batch.id(), staged.failures());
        long loaded = System.nanoTime();
        List<String> mapped = schema.columns().stream().map(Column::name).filter(options::maps).toList();
        ImportStore.Merged merged = imports.merge(dataset, staging, options.importType(), mapped, batch.id(),
                staged.mayRepeatKeys());
        imports.dropStaging(staging);
        log.info("import applied: batch={} dataset={} staged={} completed={} ignored={} failed={} direct_try_ms={} "
                        + "staging_ms={} merge_ms={}", batch.id(), dataset.name(), count, merged.completed(),
                merged.ignored(), staged.failures().size(), (tried - started) / 1_000_000,
                (loaded - tried) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000);
        return RecordCounts.ZERO.plus(APPLIED, merged.completed()).plus(IGNORED, merged.ignored());
    }

    private static String firstFailures(List<PartSource> parts) throws IOException {
        List<String> found = new ArrayList<>();
        for (PartSource source : parts) {
            if (found.size() >= FAILURES_IN_MESSAGE) {
                break;
            }
            try (InputStream in = source.open()) {
                ChunkReader.read(in, fields -> {
                    if (found.size() < FAILURES_IN_MESSAGE && FAILED.equals(fields.get(1))) {
                        found.add("record " + fields.get(0) + ": " + (fields.size() > 2 ? fields.get(2) : "?"));
                    }
                });
            }
        }
        return String.join("; ", found);
    }

    /** Lets the CSV writer flush into the part without closing it; the storage closes the part. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

}
