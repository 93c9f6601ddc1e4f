package dev.sluice.server.job;

/** Where a batch's blobs live in storage; everything of a job sits under {@link #job}. */
public final class BlobKeys {

    private BlobKeys() {
    }

    /** Everything an account keeps; its quota counts the blobs under it. */
    public static String account(String accountId) {
        return "accounts/" + accountId;
    }

    public static String job(String accountId, String jobId) {
        return account(accountId) + "/jobs/" + jobId;
    }

    public static String batch(Batch batch) {
        return job(batch.accountId(), batch.jobId()) + "/" + batch.id();
    }

    /**
     * A fresh key for an uploaded input; each upload attempt writes its own, and the batch records the one
     * that won, so a second upload racing the first can never replace a queued file.
     */
    public static String newInput(Batch batch) {
        return batch(batch) + "/input-" + java.util.UUID.randomUUID();
    }

    public static String chunks(Batch batch) {
        return batch(batch) + "/chunks";
    }

    public static String chunkInput(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".csv";
    }

    /** The duplicates of a chunk ({@code core.result.DuplicatePlan}), cut with the chunk inputs. */
    public static String duplicates(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".duplicates";
    }

    /**
     * What a verify chunk hands the assembly beside its part, in one blob (its report, its copies of earlier chunks'
     * rows, the verdicts of its first copies), written with the chunk's part.
     */
    public static String handout(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".handout";
    }

    /**
     * The verdicts of a chunk's first copies as a version before the handout (2026-12-07) wrote them (binary), beside
     * the chunk's part, read for a batch in progress across the upgrade; now in {@link #handout}.
     */
    public static String firstCopies(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".first-copies";
    }

    /**
     * The rows later chunks repeat, sorted ({@code core.result.DuplicateScan#writeKeptRows}), written with the
     * duplicates: the assembly reads those first copies only.
     */
    public static String keptRows(Batch batch) {
        return chunks(batch) + "/kept-rows";
    }

    /** {@link #firstCopies} as a version before 2026-12-06 wrote them (CSV), read for a batch in progress then. */
    public static String csvFirstCopies(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".firsts";
    }

    /**
     * A chunk's copies of earlier chunks' rows ({@code core.result.LaterCopies}) as a version before the handout
     * (2026-12-07) wrote them, read for a batch in progress across the upgrade; now in {@link #handout}.
     */
    public static String laterCopies(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".later";
    }

    /**
     * What a chunk counted of its rows as a version before the handout (2026-12-07) wrote it, read for a batch in
     * progress across the upgrade; now in {@link #handout}.
     */
    public static String chunkReport(Batch batch, int index) {
        return chunks(batch) + "/" + index + ".report";
    }

    /** What the assembly counted of those copies, for the completion to add. */
    public static String laterCopiesCounted(Batch batch) {
        return chunks(batch) + "/later.counts";
    }

    public static String parts(Batch batch) {
        return batch(batch) + "/parts";
    }

    public static String part(Batch batch, int index) {
        return parts(batch) + "/" + index;
    }

    /** The result file of a completed batch. */
    public static String result(Batch batch) {
        return result(batch, batch.resultName());
    }

    /** The result file of a batch under the name its operation gives it. */
    public static String result(Batch batch, String resultName) {
        return batch(batch) + "/" + resultName;
    }

    /** The filtered copies of a batch's result, made on request and deleted with the result. */
    public static String filtered(Batch batch) {
        return batch(batch) + "/filtered";
    }

    /** The copy of a batch's result holding only the rows of the filter whose canonical key is {@code filterKey}. */
    public static String filtered(Batch batch, String filterKey) {
        return filtered(batch) + "/" + filterKey + "." + batch.resultFormat().extension();
    }

    /** The counts of a batch's result (a small JSON file), kept until the job is deleted. */
    public static String report(Batch batch) {
        return batch(batch) + "/report.json";
    }
}
