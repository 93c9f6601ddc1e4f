package dev.sluice.server.append;

import dev.sluice.core.append.AppendResult;
import dev.sluice.core.append.MatchCode;
import dev.sluice.core.append.MatchKey;
import dev.sluice.core.ingest.ChunkReader;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.result.ResultAssembler;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The append operation: each input record is matched on the normalised values of the match columns to a
 * record of the dataset, and the result keeps every input column, adds the chosen fields (empty when
 * nothing matched) and {@code sluice_match} ({@code exact}, {@code normalized}, {@code none}).
 *
 * <p>Counters: {@link #MATCHED} (stored and shown as {@code completed}) and {@link #UNMATCHED} (stored and
 * shown as {@code ignored}, blank match keys included); {@code failed} stays 0, since an unmatched record is an
 * answer, not an error.
 *
 * <p>The dataset is read through a per-batch index ({@link AppendIndexStore}) built by the first chunk
 * that needs it and dropped when the batch completes. Lookups join the dataset for its current values and
 * re-check the normalised key, so a record changed since the index was built is never appended wrongly.
 */
@Component
class AppendProcessor implements ChunkProcessor<AppendOptions> {

    /** Input records matched to a dataset record, exactly or after normalisation; stored as {@code completed}. */
    static final Counter MATCHED = new Counter("matched", Counter.Slot.COMPLETED,
            "input records matched to a dataset record, exactly or after normalisation");
    /** Input records without a match, blank match keys included; stored as {@code ignored}. */
    static final Counter UNMATCHED = new Counter("unmatched", Counter.Slot.IGNORED,
            "input records without a match in the dataset, blank match keys included");
    static final List<Counter> COUNTERS = List.of(MATCHED, UNMATCHED);

    private final DatasetStore datasets;
    private final AppendIndexStore index;

    AppendProcessor(DatasetStore datasets, AppendIndexStore index) {
        this.datasets = datasets;
        this.index = index;
    }

    @Override
    public Operation operation() {
        return Operation.APPEND;
    }

    @Override
    public AppendOptions parse(String accountId, Map<String, Object> options) {
        String name = AppendOptions.datasetName(options);
        Dataset dataset = datasets.find(accountId, name).orElseThrow(() -> new IllegalArgumentException(
                "options.dataset: this account has no dataset named '" + name + "'; create it with"
                        + " POST /api/v1/datasets first"));
        return AppendOptions.parse(options, dataset.schema());
    }

    @Override
    public AppendOptions read(Map<String, Object> options) {
        return AppendOptions.read(options);
    }

    @Override
    public List<Counter> counters() {
        return COUNTERS;
    }

    /**
     * The first match column is the loader's required column; the others are checked when the chunks are
     * processed, against the header the loader found.
     */
    @Override
    public LoadOptions loadOptions(AppendOptions options, Batch batch, int chunkSize) {
        return new LoadOptions(options.firstInputColumn(), chunkSize, batch.recordLimit());
    }

    @Override
    public RecordCounts process(Job job, AppendOptions options, Batch batch, Chunk chunk, InputStream records,
            OutputStream part, SideFiles sideFiles) throws IOException {
        Setup setup = setup(job, options);
        int[] positions = positions(batch.columns(), setup.plan().inputColumns());
        MatchKey key = setup.plan().matchKey();
        String table = AppendIndexStore.tableName(batch.id());
        index.ensureIndex(table, setup.dataset(), options.match(), key);

        List<List<String>> rows = new ArrayList<>();
        ChunkReader.read(records, fields -> rows.add(List.copyOf(fields)));
        List<List<String>> keys = new ArrayList<>(rows.size());
        List<String> digests = new ArrayList<>(rows.size());
        Set<String> wanted = new LinkedHashSet<>();
        for (List<String> row : rows) {
            List<String> values = new ArrayList<>(positions.length);
            for (int position : positions) {
                values.add(position < row.size() ? row.get(position) : "");
            }
            keys.add(values);
            String digest = key.blank(values) ? null : key.digest(values);
            digests.add(digest);
            if (digest != null) {
                wanted.add(digest);
            }
        }
        Map<String, List<AppendIndexStore.Candidate>> found = wanted.isEmpty() ? Map.of()
                : index.lookup(table, setup.dataset(), options.match(), options.fields(), wanted);

        AppendResult result = new AppendResult(batch.resultFormat(), batch.columns(), options.fields(),
                options.escapeFormulas());
        AppendResult.Part writer = result.part(part);
        List<String> none = Collections.nCopies(options.fields().size(), "");
        long matched = 0;
        for (int i = 0; i < rows.size(); i++) {
            List<AppendIndexStore.Candidate> candidates = digests.get(i) == null ? List.of()
                    : found.getOrDefault(digests.get(i), List.of());
            AppendIndexStore.Candidate best = null;
            MatchCode code = MatchCode.NONE;
            for (AppendIndexStore.Candidate candidate : candidates) {
                MatchCode candidateCode = key.code(keys.get(i), candidate.match());
                // exact beats normalised; among equals the oldest record (lowest row id) wins
                if (candidateCode != MatchCode.NONE && (best == null || candidateCode.ordinal() < code.ordinal())) {
                    best = candidate;
                    code = candidateCode;
                }
            }
            if (best != null) {
                matched++;
            }
            writer.row(rows.get(i), best == null ? none : best.fields(), code);
        }
        writer.finish();
        return RecordCounts.processedOnly(rows.size()).plus(MATCHED, matched).plus(UNMATCHED, rows.size() - matched);
    }

    @Override
    public void assemble(Job job, AppendOptions options, Batch batch, List<PartSource> parts, OutputStream result)
            throws IOException {
        List<ResultAssembler.IOSupplier<InputStream>> sources = new ArrayList<>(parts.size());
        for (PartSource part : parts) {
            sources.add(part::open);
        }
        setup(job, options); // a dataset deleted since the last chunk fails the batch, as it would have there
        new AppendResult(batch.resultFormat(), batch.columns(), options.fields(), options.escapeFormulas())
                .assemble(sources, result);
    }

    /** Drops the batch's index in the completing transaction: a retried completion finds nothing to drop. */
    @Override
    public RecordCounts complete(Job job, AppendOptions options, Batch batch, List<PartSource> parts) {
        index.drop(AppendIndexStore.tableName(batch.id()));
        return RecordCounts.ZERO;
    }

    /**
     * Drops the batch's index, or what a cut build left of it, when the batch's retention ends or its job is deleted:
     * a batch that failed or was cancelled after its first chunk never reached {@link #complete}.
     */
    @Override
    public void forget(Batch batch) {
        index.drop(AppendIndexStore.tableName(batch.id()));
    }

    private record Setup(Dataset dataset, AppendOptions.Plan plan) {
    }

    /** The job's dataset, and its options against it as it is now; a dataset deleted since fails the batch. */
    private Setup setup(Job job, AppendOptions options) {
        String name = options.dataset();
        Dataset dataset = datasets.find(job.accountId(), name).orElseThrow(() -> new BatchRejectedException(
                "dataset_not_found", "the dataset '" + name + "' of this append job no longer exists; create it"
                        + " again and upload the file to a new job"));
        try {
            return new Setup(dataset, options.plan(dataset.schema()));
        } catch (IllegalArgumentException e) {
            throw new BatchRejectedException("invalid_options", "the dataset '" + name + "' changed since the job"
                    + " was created: " + e.getMessage());
        }
    }

    /** Where each match column is in the input, by header name (trimmed, any case). */
    private static int[] positions(List<String> header, List<String> inputColumns) {
        int[] positions = new int[inputColumns.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < inputColumns.size(); i++) {
            positions[i] = -1;
            for (int c = 0; c < header.size() && positions[i] < 0; c++) {
                if (header.get(c).strip().equalsIgnoreCase(inputColumns.get(i))) {
                    positions[i] = c;
                }
            }
            if (positions[i] < 0) {
                missing.add(inputColumns.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new BatchRejectedException("missing_column", "the file has no column " + String.join(", ", missing) + " to match on; its header is " + header + ". Name the match columns "
                    + inputColumns + " in the first row (or map them with options.match_map) and upload again");
        }
        return positions;
    }
}
