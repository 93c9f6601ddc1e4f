package dev.sluice.bench;

import dev.sluice.core.ingest.LoadSummary;
import dev.sluice.core.ingest.MalformedFileException;
import dev.sluice.core.result.ChunkDuplicates;
import dev.sluice.core.result.DuplicateScan;
import dev.sluice.core.result.LaterCopies;
import dev.sluice.core.result.PartPatches;
import dev.sluice.core.result.ResultFormat;
import dev.sluice.core.result.VerifyPass;
import dev.sluice.core.verify.EmailVerifier;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The work of a verify assembly's patches thread, on one core: 1,000,000 rows of {@code id,name,email} (the list of
 * {@link ChunkPassBenchmark}) loaded and run through the chunk pass once, in setup, in chunks of 10,000; each
 * invocation then does, chunk by chunk and in order, what the thread does for a part: the first copies handed out by
 * the chunks before it told to {@link LaterCopies} (read from their binary files), and the part's copies of earlier
 * rows read and turned into patches. The copying of the parts themselves, on the other thread, is left out.
 * {@code addresses} is {@code repeated} (drawn from 800,000: about 570,000 distinct, 430,000 copies, as in
 * {@code sluice bench verify}'s list) or {@code distinct} (no copies: the bare walk over the files). {@code kept} is
 * as in {@link ChunkPassBenchmark}: {@code all} is what chunks run during the load hand out, every first copy, of
 * which the assembly tells those the load saw repeated. The score is milliseconds per million rows.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar AssemblyPatchesBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
public class AssemblyPatchesBenchmark {

    /** {@code distinct}: every address once; {@code repeated}: drawn from a pool of 800,000. */
    @Param({"repeated", "distinct"})
    public String addresses;

    /** {@code planned}: chunks handed out the first copies later chunks repeat; {@code all}: every first copy. */
    @Param({"planned", "all"})
    public String kept;

    private final List<byte[]> firstCopies = new ArrayList<>();
    private final List<byte[]> parts = new ArrayList<>();
    private final List<List<PartPatches.Patch>> partPatches = new ArrayList<>();
    private final List<byte[]> laterCopies = new ArrayList<>();
    private long[] keptRows;
    private VerifyPass pass;

    @Setup
    public void load() throws IOException, MalformedFileException {
        List<byte[]> inputs = new ArrayList<>();
        DuplicateScan scan = new DuplicateScan(ChunkPassBenchmark.CHUNK);
        LoadSummary summary = ChunkPassBenchmark.load(addresses, scan, inputs);
        List<ChunkDuplicates> duplicates = new ArrayList<>();
        scan.plans(inputs.size(), (chunk, plan) -> duplicates.add(new ChunkDuplicates(plan, kept.equals("all"))));
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        scan.writeKeptRows(rows);
        keptRows = DuplicateScan.readRows(new ByteArrayInputStream(rows.toByteArray()));
        VerificationEngine engine = new VerificationEngine(new EmailVerifier(), ShippedDomainLists.shipped(), null,
                null, VerificationCache.none(),
                new VerificationEngine.Settings(Duration.ofHours(1), Duration.ofHours(1), 64), Clock.systemUTC());
        pass = new VerifyPass(engine::verifyAll, ResultFormat.CSV, summary.columns(), summary.keyColumn());
        for (int i = 0; i < inputs.size(); i++) {
            VerifyPass.HandedOut handed = new VerifyPass.HandedOut();
            ByteArrayOutputStream part = new ByteArrayOutputStream(2 << 20);
            pass.run(new ByteArrayInputStream(inputs.get(i)), (long) i * ChunkPassBenchmark.CHUNK + 1,
                    part, duplicates.get(i), handed);
            parts.add(part.toByteArray());
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            handed.keptFirstCopies().writeTo(first);
            firstCopies.add(first.toByteArray());
            ByteArrayOutputStream later = new ByteArrayOutputStream();
            LaterCopies.write(handed.laterCopies(), later);
            laterCopies.add(later.toByteArray());
        }
        engine.close();
        LaterCopies later = new LaterCopies(pass);
        for (int i = 0; i < laterCopies.size(); i++) {
            partPatches.add(patchesOf(later, i));
        }
    }

    /** The patches of part {@code index}, the first copies of the parts before it told. */
    private List<PartPatches.Patch> patchesOf(LaterCopies later, int index) throws IOException {
        if (index > 0) {
            ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(firstCopies.get(index - 1)),
                    row -> java.util.Arrays.binarySearch(keptRows, row) >= 0,
                    (row, first) -> later.first(row, first.key(), first.verdict()));
        }
        return later.patches(LaterCopies.read(new ByteArrayInputStream(laterCopies.get(index))));
    }

    @Benchmark
    public long patches() throws IOException {
        LaterCopies later = new LaterCopies(pass);
        long patches = 0;
        for (int i = 0; i < laterCopies.size(); i++) {
            patches += patchesOf(later, i).size();
        }
        later.release();
        return patches;
    }

    /** The other thread's work: each part read with its patches applied, copied to nowhere. */
    @Benchmark
    public long copy() throws IOException {
        long bytes = 0;
        for (int i = 0; i < parts.size(); i++) {
            bytes += PartPatches.apply(new ByteArrayInputStream(parts.get(i)), partPatches.get(i))
                    .transferTo(OutputStream.nullOutputStream());
        }
        return bytes;
    }
}
