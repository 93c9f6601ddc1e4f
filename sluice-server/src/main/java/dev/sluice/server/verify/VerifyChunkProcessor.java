package dev.sluice.server.verify;

import dev.sluice.core.result.ChunkDuplicates;
import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.core.result.DuplicateScan;
import dev.sluice.core.result.LaterCopies;
import dev.sluice.core.result.PartPatches;
import dev.sluice.core.result.ResultAssembler;
import dev.sluice.core.result.ResultReport;
import dev.sluice.core.result.VerifyCounts;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.AccountRules;
import dev.sluice.core.verify.ChunkVerifier;
import dev.sluice.core.verify.Transcripts;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.job.ChunkProcessor;
import dev.sluice.server.job.Counter;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.job.SideFiles;
import dev.sluice.server.job.WorkedAhead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import dev.sluice.server.storage.BlobStorage;
import org.springframework.stereotype.Component;

/**
 * The verify operation on one chunk: every record's email gets a verdict, and the result part keeps the
 * record's columns with the verdict columns added. With the {@code transcripts} option the SMTP conversations
 * behind the verdicts are kept in the {@link TranscriptStore} until the batch's retention ends.
 */
@Component
class VerifyChunkProcessor implements ChunkProcessor<VerifyOptions> {

    /** One counter per verdict. */
    static final List<Counter> COUNTERS = List.of(
            new Counter("valid", Counter.Slot.VALID, "records whose verdict is valid"),
            new Counter("invalid", Counter.Slot.INVALID, "records whose verdict is invalid"),
            new Counter("accept_all", Counter.Slot.ACCEPT_ALL, "records whose domain accepts any address"),
            new Counter("unknown", Counter.Slot.UNKNOWN, "records whose verdict could not be decided"),
            new Counter("duplicates", Counter.Slot.DUPLICATES,
                    "records repeating an earlier record's address in the batch, given its verdict unverified"));

    /** Parts whose patches are worked out while the assembly copies one ({@link WorkedAhead}). */
    private static final int PATCHES_AHEAD = 2;

    private final VerificationEngine engine;
    private final VerifyProperties.CacheScope cacheScope;
    private final AccountRuleStore rules;
    private final BlobStorage storage;
    private final ResultFiles files;
    private final TranscriptStore transcripts;
    private final VerifyRetries retries;

    VerifyChunkProcessor(VerificationEngine engine, VerifyProperties properties, AccountRuleStore rules,
            BlobStorage storage, ResultFiles files, TranscriptStore transcripts, VerifyRetries retries) {
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
        this.rules = rules;
        this.storage = storage;
        this.files = files;
        this.transcripts = transcripts;
        this.retries = retries;
    }

    @Override
    public Operation operation() {
        return Operation.VERIFY;
    }

    @Override
    public VerifyOptions parse(String accountId, Map<String, Object> options) {
        return VerifyOptions.parse(options);
    }

    @Override
    public VerifyOptions read(Map<String, Object> options) {
        return VerifyOptions.parse(options);
    }

    @Override
    public List<Counter> counters() {
        return COUNTERS;
    }

    /** Each address of a batch is verified once; its copies take its verdict. */
    @Override
    public boolean foldsDuplicates(VerifyOptions options) {
        return true;
    }

    /**
     * Verifies the chunk's distinct addresses. A copy of an earlier chunk's address is written without its verdict
     * and listed for the assembly to complete, so no chunk waits for another; the verdicts later chunks' copies take
     * are kept. Both go with the chunk's report into its {@link ChunkHandout}, rewritten whole by a re-run, before
     * the chunk is done.
     */
    @Override
    public RecordCounts process(Job job, VerifyOptions options, Batch batch, Chunk chunk, InputStream records,
            OutputStream part, SideFiles sideFiles) throws IOException {
        DuplicatePlan plan = DuplicatePlans.of(storage, batch, chunk);
        return run(job, options, batch, chunk, records, part, sideFiles,
                new ChunkDuplicates(plan), false).orElseThrow();
    }

    /**
     * Chunks run while their batch loads unless transcripts are kept (those go to the database) or an address may
     * be put aside for a later attempt ({@link VerifyRetries#mayPutAside}): a chunk run during the load declines
     * then, after asking, and its task would ask that address again at once.
     */
    @Override
    public boolean processesWhileLoading(VerifyOptions options) {
        return !options.transcripts() && !retries.mayPutAside();
    }

    /**
     * As {@link #process}, handing out the verdicts of all the chunk's first copies, as which of them later chunks
     * repeat is not known yet; the assembly reads only those it needs. Declines a chunk with an address to put
     * aside.
     */
    @Override
    public Optional<RecordCounts> processWhileLoading(Job job, VerifyOptions options, Batch batch, Chunk chunk,
            DuplicatePlan copies, InputStream records, OutputStream part, SideFiles sideFiles) throws IOException {
        if (!processesWhileLoading(options)) {
            return Optional.empty();
        }
        return run(job, options, batch, chunk, records, part, sideFiles, ChunkDuplicates.keepingAll(copies),
                true);
    }

    /**
     * Verifies the chunk's distinct addresses; empty when {@code whileLoading} and an address must be put aside.
     */
    private Optional<RecordCounts> run(Job job, VerifyOptions options, Batch batch, Chunk chunk,
            InputStream records, OutputStream part, SideFiles sideFiles, ChunkDuplicates duplicates,
            boolean whileLoading)
            throws IOException {
        // with the account scope, cached verdicts of other accounts are neither reused nor marked cached
        String scope = cacheScope.of(job.accountId());
        // the account's rules as they are when the chunk runs (a re-run after a change reads the new ones)
        AccountRules accountRules = rules.rules(job.accountId());
        Outcome outcome = new Outcome();
        RecordCounts counts;
        if (!options.transcripts()) {
            VerifyCounts counted = pass(cells -> engine.verifyAll(cells, scope, accountRules), options, batch)
                    .run(records, chunk.firstRow(), part, duplicates, outcome);
            if (whileLoading && !outcome.aside.isEmpty()) {
                return Optional.empty();
            }
            counts = putAside(batch, chunk, counted, outcome);
        } else {
            // the pass asks the verifier once for the whole chunk; what it was asked and answered is kept with the
            // conversations, and written after the part, so a chunk that fails writes no transcript
            Transcripts conversations = new Transcripts();
            List<String> cellsAsked = new ArrayList<>();
            List<Verdict> verdictsGiven = new ArrayList<>();
            ChunkVerifier verifier = cells -> {
                List<Verdict> verdicts = engine.verifyAll(cells, scope, accountRules, conversations);
                cellsAsked.addAll(cells);
                verdictsGiven.addAll(verdicts);
                return verdicts;
            };
            counts = putAside(batch, chunk, pass(verifier, options, batch).run(records, chunk.firstRow(), part,
                    duplicates, outcome), outcome);
            transcripts.replaceChunk(job.id(), batch.id(), chunk.index(), cellsAsked, verdictsGiven, conversations);
        }
        // stored while the part is; the outcome is not changed after this
        ResultReport report = outcome.report().report(Integer.MAX_VALUE);
        sideFiles.write(BlobKeys.handout(batch, chunk.index()), out -> ChunkHandout.write(out,
                section -> files.writeChunkReport(report, section),
                section -> LaterCopies.write(outcome.laterCopies(), section),
                section -> outcome.keptFirstCopies().writeTo(section)));
        return Optional.of(counts);
    }

    /** What a chunk's pass hands out: the verdicts later chunks copy, copies left to assembly, rows put aside. */
    private final class Outcome extends VerifyPass.HandedOut {

        final List<VerifyPass.MarkedRow> aside = new ArrayList<>();

        @Override
        public boolean marks(Verdict verdict) {
            return retries.defers(verdict);
        }

        @Override
        public void marked(VerifyPass.MarkedRow row) {
            aside.add(row);
        }
    }

    /**
     * A "try again later" answer was written provisionally and is put aside: deferred, not processed yet. A copy
     * of such an address in the chunk keeps the provisional verdict and is put aside too, to settle with its first
     * copy.
     */
    private RecordCounts putAside(Batch batch, Chunk chunk, VerifyCounts counts, Outcome outcome) {
        retries.putAside(batch, chunk, outcome.aside);
        int deferred = outcome.aside.size();
        return new RecordCounts(0, counts.records() - deferred, counts.valid(), counts.invalid(), counts.acceptAll(),
                counts.unknown() - deferred, 0, 0, 0, deferred, counts.duplicates());
    }

    private static VerifyPass pass(ChunkVerifier verifier, VerifyOptions options, Batch batch) {
        return new VerifyPass(verifier, batch.resultFormat(), batch.columns(), batch.keyColumn(),
                options.escapeFormulas());
    }

    /** The batch's transcripts and the addresses it put aside go with its retention or its job. */
    @Override
    public void forget(Batch batch) {
        transcripts.deleteBatch(batch.id());
        retries.forget(batch.id());
    }

    /**
     * Concatenates the parts, completing two kinds of rows on the way: rows settled after a later attempt replace
     * their provisional bytes, and copies of earlier chunks' rows get their first copy's final verdict (the
     * settled one when that row was put aside). Parts are read in order, so each chunk's first copies are in
     * before a later part needs them. What the copies took is counted for {@link #complete}, and the result's
     * report is the chunks' reports plus the copies', with no pass over the result.
     */
    @Override
    public void assemble(Job job, VerifyOptions options, Batch batch, List<PartSource> parts, OutputStream result)
            throws IOException {
        Map<Integer, List<PartPatches.Patch>> settledRows = retries.patches(batch.id());
        Map<Long, Verdict> settled = retries.settledVerdicts(batch.id());
        // one listing instead of a look per chunk and file: on a bucket each look is a request
        Set<String> sideFiles = new HashSet<>();
        storage.list(BlobKeys.chunks(batch)).forEach(blob -> sideFiles.add(blob.key()));
        LongPredicate kept = keptRows(batch, sideFiles);
        LaterCopies later = new LaterCopies(pass(cells -> {
            throw new IllegalStateException("the assembly verifies nothing");
        }, options, batch));
        // each chunk's handout is read once, by the patches' thread, in chunk order: its later copies patch its own
        // part, its report is kept for the sum, its first copies are told before the next part's patches
        ChunkHandout[] handouts = new ChunkHandout[parts.size()];
        ResultReport[] reports = new ResultReport[batch.chunksTotal()];
        int[] told = {0};
        // a part's patches (its copies looked up, the first copies before it told) are most of an assembly's work
        // on a list with many repeated addresses: they are worked out on a thread of their own, ahead of the part
        // being copied, and the later copies are touched by that thread alone
        try (WorkedAhead<List<PartPatches.Patch>> patchesAhead = new WorkedAhead<>("sluice-assembly-" + batch.id(),
                parts.size(), PATCHES_AHEAD, index -> {
                    for (; told[0] < index; told[0]++) {
                        tellFirstCopies(batch, told[0], handouts, sideFiles, settled, kept, later);
                    }
                    List<PartPatches.Patch> patches = new ArrayList<>(settledRows.getOrDefault(index, List.of()));
                    String handout = BlobKeys.handout(batch, index);
                    if (sideFiles.contains(handout)) {
                        ChunkHandout read = ChunkHandout.read(storage.open(handout));
                        handouts[index] = read;
                        if (index < reports.length) {
                            reports[index] = files.chunkReport(read.report());
                        }
                        patches.addAll(later.patches(LaterCopies.read(read.laterCopies())));
                        return patches;
                    }
                    String copies = BlobKeys.laterCopies(batch, index);
                    if (sideFiles.contains(copies)) {
                        try (InputStream in = storage.open(copies)) {
                            patches.addAll(later.patches(LaterCopies.read(in)));
                        }
                    }
                    return patches;
                })) {
            List<ResultAssembler.IOSupplier<InputStream>> sources = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                int index = i;
                PartSource part = parts.get(i);
                sources.add(() -> {
                    List<PartPatches.Patch> patches = patchesAhead.take(index);
                    return PartPatches.apply(part.open(), patches);
                });
            }
            ResultAssembler.assemble(batch.resultFormat(), batch.columns(), sources, result,
                    options.escapeFormulas());
        }
        // every part is read: no patch refers to the pages any more
        later.release();
        report(batch, sideFiles, reports, later.report());
        VerifyCounts copied = later.copied();
        storage.write(BlobKeys.laterCopiesCounted(batch), out -> out.write((copied.valid() + " " + copied.invalid()
                + " " + copied.acceptAll() + " " + copied.unknown()).getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Adds the chunks' reports to {@code copies}' and stores the sum as the result's report: those their handouts
     * held, read by the assembly, and those a version before handouts stored on their own. Chunks processed by a
     * version that counted nothing leave it to {@link #assembled}, which counts the result.
     */
    private void report(Batch batch, Set<String> sideFiles, ResultReport[] reports, ResultReport.Tally copies)
            throws IOException {
        for (int i = 0; i < reports.length; i++) {
            if (reports[i] != null) {
                continue;
            }
            String key = BlobKeys.chunkReport(batch, i);
            if (!sideFiles.contains(key)) {
                return;
            }
            reports[i] = files.chunkReport(storage.open(key));
        }
        for (ResultReport chunk : reports) {
            copies.add(chunk);
        }
        files.store(batch, copies.report(ResultFiles.DOMAINS_STORED));
    }

    /**
     * Tells the assembly the final verdicts of a chunk's first copies that later chunks repeat; a chunk run while
     * its batch loaded wrote them all, and {@code kept} picks those needed.
     */
    private void tellFirstCopies(Batch batch, int index, ChunkHandout[] handouts, Set<String> sideFiles,
            Map<Long, Verdict> settled, LongPredicate kept, LaterCopies later) throws IOException {
        ChunkHandout handout = handouts[index];
        if (handout != null) {
            // told once: the handout is not needed any more
            handouts[index] = null;
            ChunkDuplicates.readFirstCopies(handout.firstCopies(), kept, (row, first) ->
                    later.first(row, first.key(), settled.getOrDefault(row, first.verdict())));
            return;
        }
        String key = BlobKeys.firstCopies(batch, index);
        if (sideFiles.contains(key)) {
            try (InputStream in = storage.open(key)) {
                ChunkDuplicates.readFirstCopies(in, kept, (row, first) ->
                        later.first(row, first.key(), settled.getOrDefault(row, first.verdict())));
            }
            return;
        }
        String csv = BlobKeys.csvFirstCopies(batch, index);
        if (sideFiles.contains(csv)) {
            Map<Long, ChunkDuplicates.FirstCopy> firsts = new LinkedHashMap<>();
            try (InputStream in = storage.open(csv)) {
                ChunkDuplicates.readCsvFirstCopies(in, firsts);
            }
            for (Map.Entry<Long, ChunkDuplicates.FirstCopy> first : firsts.entrySet()) {
                later.first(first.getKey(), first.getValue().key(),
                        settled.getOrDefault(first.getKey(), first.getValue().verdict()));
            }
        }
    }

    /**
     * The rows later chunks repeat, as the load recorded them ({@link BlobKeys#keptRows}); every row when it did
     * not (a batch loaded by an earlier version, whose chunks handed out only those).
     */
    private LongPredicate keptRows(Batch batch, Set<String> sideFiles) throws IOException {
        String key = BlobKeys.keptRows(batch);
        if (!sideFiles.contains(key)) {
            return row -> true;
        }
        long[] rows;
        try (InputStream in = storage.open(key)) {
            rows = DuplicateScan.readRows(in);
        }
        return new SortedRows(rows);
    }

    /**
     * Whether a row is in a sorted array. The assembly asks in increasing row order (chunk after chunk, each chunk's
     * first copies in row order), so each answer walks on from the one before instead of bisecting the whole array
     * again; a row before the last one asked is bisected.
     */
    private static final class SortedRows implements LongPredicate {

        private final long[] rows;
        /** Every row before this index is below the last row asked. */
        private int at;

        SortedRows(long[] rows) {
            this.rows = rows;
        }

        @Override
        public boolean test(long row) {
            if (at > 0 && rows[at - 1] >= row) {
                return Arrays.binarySearch(rows, row) >= 0;
            }
            while (at < rows.length && rows[at] < row) {
                at++;
            }
            return at < rows.length && rows[at] == row;
        }
    }

    /** Counts the finished result for the job's report, unless the assembly added it up from the chunks. */
    @Override
    public void assembled(Job job, VerifyOptions options, Batch batch, String resultKey) throws IOException {
        if (!storage.exists(BlobKeys.report(batch))) {
            files.count(batch, resultKey);
        }
    }

    /**
     * The settled rows are in the result now: the store keeps nothing of them. The copies of earlier chunks' rows
     * count in the status they took at assembly (they counted as processed with their chunk).
     */
    @Override
    public RecordCounts complete(Job job, VerifyOptions options, Batch batch, List<PartSource> parts)
            throws IOException {
        retries.forget(batch.id());
        String key = BlobKeys.laterCopiesCounted(batch);
        if (!storage.exists(key)) {
            return RecordCounts.ZERO;
        }
        String[] counted;
        try (InputStream in = storage.open(key)) {
            counted = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split(" ");
        }
        return new RecordCounts(0, 0, Long.parseLong(counted[0]), Long.parseLong(counted[1]),
                Long.parseLong(counted[2]), Long.parseLong(counted[3]), 0, 0, 0, 0, 0);
    }

    /** Addresses still put aside wait for nothing any more: they leave the store and the deferred counter. */
    @Override
    public RecordCounts unfinished(Batch batch) {
        retries.forget(batch.id());
        return RecordCounts.ZERO.plusDeferred(-batch.records().deferred());
    }
}
