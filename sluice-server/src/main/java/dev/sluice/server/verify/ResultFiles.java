package dev.sluice.server.verify;

import dev.sluice.core.result.ResultFilter;
import dev.sluice.core.result.ResultReport;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Files derived from a verify batch's finished result: filtered copies (only some statuses, or only the rows safe
 * to send) and the report counting it. Each is made by one streaming pass over the stored result, then stored
 * beside it and reused: a filtered copy under a key made from the filter's canonical key, deleted when the
 * result expires; the report added up from what each chunk counted when the result is assembled (or counted from
 * the result on first request for results assembled before reports existed), kept until the job is deleted.
 */
@Component
public class ResultFiles {

    /** Domains shown in a report. */
    public static final int TOP_DOMAINS = 20;

    /** Domains a batch's stored report keeps, so that a job's top domains can be summed from its batches'. */
    static final int DOMAINS_STORED = 200;

    private final BlobStorage storage;
    private final JsonMapper json;

    ResultFiles(BlobStorage storage, JsonMapper json) {
        this.storage = storage;
        this.json = json;
    }

    /** A filtered copy of a result: its storage key and how many rows it holds. */
    public record Filtered(String key, long rows) {
    }

    /**
     * The copy of a completed batch's result holding only the rows {@code filter} keeps, made now unless an
     * earlier request made it.
     *
     * @throws dev.sluice.core.result.MissingColumnException when the filter reads a column the result lacks
     */
    public Filtered filtered(Batch batch, ResultFilter filter) throws IOException {
        String key = BlobKeys.filtered(batch, filter.key());
        String rowsKey = key + ".rows";
        if (storage.exists(key) && storage.exists(rowsKey)) {
            try (InputStream in = storage.open(rowsKey)) {
                return new Filtered(key, Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII)));
            }
        }
        long[] rows = {0};
        try (InputStream result = storage.open(BlobKeys.result(batch))) {
            storage.write(key, out -> rows[0] = filter.copy(batch.resultFormat(), result, out));
        }
        // the count is written last: a copy without its count is made again, never served half-described
        storage.write(rowsKey, out -> out.write(Long.toString(rows[0]).getBytes(StandardCharsets.US_ASCII)));
        return new Filtered(key, rows[0]);
    }

    /**
     * The report of a completed batch: the stored one, or counted now from its result and stored; empty when
     * neither is there (the result expired before the batch was ever counted).
     */
    public Optional<ResultReport> report(Batch batch) throws IOException {
        String key = BlobKeys.report(batch);
        if (storage.exists(key)) {
            try (InputStream in = storage.open(key)) {
                return Optional.of(json.readValue(in, ResultReport.class));
            }
        }
        if (batch.resultName() == null || !storage.exists(BlobKeys.result(batch))) {
            return Optional.empty();
        }
        return Optional.of(count(batch, BlobKeys.result(batch)));
    }

    /** Counts the result stored under {@code resultKey} and stores the report beside it. Repeatable. */
    ResultReport count(Batch batch, String resultKey) throws IOException {
        String emailColumn = batch.keyColumn() == null ? null : batch.columns().get(batch.keyColumn());
        ResultReport report;
        try (InputStream in = storage.open(resultKey)) {
            report = ResultReport.of(batch.resultFormat(), in, emailColumn, DOMAINS_STORED);
        }
        storage.write(BlobKeys.report(batch), out -> json.writeValue(out, report));
        return report;
    }

    /** Stores a batch's report, counted as its result was written. */
    void store(Batch batch, ResultReport report) throws IOException {
        storage.write(BlobKeys.report(batch), out -> json.writeValue(out, report));
    }

    /** Writes what a chunk counted of its rows, kept until the assembly adds the chunks up; leaves {@code out} open. */
    void writeChunkReport(ResultReport report, OutputStream out) {
        json.writer().without(StreamWriteFeature.AUTO_CLOSE_TARGET).writeValue(out, report);
    }

    /** What a chunk counted of its rows ({@link #writeChunkReport}), read from its blob. */
    ResultReport chunkReport(InputStream blob) throws IOException {
        try (InputStream in = blob) {
            return json.readValue(in, ResultReport.class);
        }
    }

    /** The reports of several batches added up, showing the top domains only. */
    public static ResultReport sum(List<ResultReport> reports) {
        return ResultReport.sum(reports, TOP_DOMAINS);
    }
}
