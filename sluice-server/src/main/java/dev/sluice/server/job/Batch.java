package dev.sluice.server.job;

import dev.sluice.core.result.ResultFormat;
import java.time.Instant;
import java.util.List;

/**
 * One unit of input inside a job, with its own status, counters and result: who it belongs to
 * ({@link Identity}), where its records come from ({@link Input}), how far it got ({@link Progress}) and what
 * came out ({@link Outcome}). The accessors below read through to the parts, so a caller names the fact it
 * wants, not the part that holds it.
 *
 * @param identity  the ids
 * @param status    where it is in its lifecycle ({@link BatchStatus})
 * @param version   bumped by every write; each compare-and-set checks it
 * @param input     its file, as far as known
 * @param progress  its counters and chunks
 * @param outcome   its error or its result
 * @param createdAt when it was stored (null before)
 * @param updatedAt its last write (null before it was stored)
 */
public record Batch(Identity identity, BatchStatus status, long version, Input input, Progress progress,
        Outcome outcome, Instant createdAt, Instant updatedAt) {

    /** The batch's id, its job's and its account's. */
    public record Identity(String id, String jobId, String accountId) {
    }

    /**
     * Where the batch's records come from. {@code recordLimit} is the most records its file may hold (smaller for
     * evaluation keys). The file facts ({@code columns} onwards) are known once the batch is loaded.
     */
    public record Input(BatchSource source, String fileName, String inputKey, String sourceUri, Long sizeBytes,
            String sha256, Instant uploadExpiresAt, long recordLimit, List<String> columns, Integer keyColumn,
            String charset, String delimiter) {

        /** The input of a new batch, before its file came. */
        static Input waiting(BatchSource source, String fileName, String sourceUri, Instant uploadExpiresAt,
                long recordLimit) {
            return new Input(source, fileName, null, sourceUri, null, null, uploadExpiresAt, recordLimit, null, null,
                    null, null);
        }
    }

    /** How far processing got: the record counters, the chunks, and when the first chunk work started. */
    public record Progress(RecordCounts records, int chunksTotal, int chunksDone, Instant startedAt) {

        /** A batch not loaded yet. */
        public static final Progress NONE = new Progress(RecordCounts.ZERO, 0, 0, null);
    }

    /**
     * What came out: an error ({@code errorCode}, {@code errorMessage}) or a result ({@code resultName}, kept
     * until {@code resultExpiresAt}), in {@code resultFormat}; {@code completedAt} when the batch ended; the
     * {@code estimate} (a JSON object) of a completed estimate batch, else null.
     */
    public record Outcome(String errorCode, String errorMessage, ResultFormat resultFormat, String resultName,
            Instant resultExpiresAt, Instant completedAt, String estimate) {

        /** An outcome without an estimate. */
        public Outcome(String errorCode, String errorMessage, ResultFormat resultFormat, String resultName,
                Instant resultExpiresAt, Instant completedAt) {
            this(errorCode, errorMessage, resultFormat, resultName, resultExpiresAt, completedAt, null);
        }

        /** No outcome yet; the result will be written in {@code format}. */
        static Outcome pending(ResultFormat format) {
            return new Outcome(null, null, format, null, null, null);
        }
    }

    public String id() {
        return identity.id();
    }

    public String jobId() {
        return identity.jobId();
    }

    public String accountId() {
        return identity.accountId();
    }

    public BatchSource source() {
        return input.source();
    }

    public String fileName() {
        return input.fileName();
    }

    public String inputKey() {
        return input.inputKey();
    }

    public String sourceUri() {
        return input.sourceUri();
    }

    public Long sizeBytes() {
        return input.sizeBytes();
    }

    public String sha256() {
        return input.sha256();
    }

    public Instant uploadExpiresAt() {
        return input.uploadExpiresAt();
    }

    public long recordLimit() {
        return input.recordLimit();
    }

    public List<String> columns() {
        return input.columns();
    }

    public Integer keyColumn() {
        return input.keyColumn();
    }

    public String charset() {
        return input.charset();
    }

    /** This batch with the given output columns and key column, as a load reading it knows them so far. */
    public Batch withLayout(List<String> columns, int keyColumn) {
        return new Batch(identity, status, version, new Input(input.source(), input.fileName(), input.inputKey(),
                input.sourceUri(), input.sizeBytes(), input.sha256(), input.uploadExpiresAt(), input.recordLimit(),
                List.copyOf(columns), keyColumn, input.charset(), input.delimiter()), progress, outcome, createdAt,
                updatedAt);
    }

    public String delimiter() {
        return input.delimiter();
    }

    public RecordCounts records() {
        return progress.records();
    }

    public int chunksTotal() {
        return progress.chunksTotal();
    }

    public int chunksDone() {
        return progress.chunksDone();
    }

    public Instant startedAt() {
        return progress.startedAt();
    }

    public String errorCode() {
        return outcome.errorCode();
    }

    public String errorMessage() {
        return outcome.errorMessage();
    }

    public ResultFormat resultFormat() {
        return outcome.resultFormat();
    }

    public String resultName() {
        return outcome.resultName();
    }

    public Instant resultExpiresAt() {
        return outcome.resultExpiresAt();
    }

    public Instant completedAt() {
        return outcome.completedAt();
    }

    /** The estimate of a completed estimate batch (a JSON object), else null. */
    public String estimate() {
        return outcome.estimate();
    }
}
