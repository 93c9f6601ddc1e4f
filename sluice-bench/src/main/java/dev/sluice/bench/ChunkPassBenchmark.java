package dev.sluice.bench;

import dev.sluice.core.ingest.ChunkSink;
import dev.sluice.core.ingest.FileLoader;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.ingest.LoadSummary;
import dev.sluice.core.ingest.MalformedFileException;
import dev.sluice.core.result.ChunkDuplicates;
import dev.sluice.core.result.DuplicateScan;
import dev.sluice.core.result.LaterCopies;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chunk pass on one core, as a job's chunks run it in the offline stage after the load: 1,000,000 rows of
 * {@code id,name,email} loaded once into chunk parts of 10,000 rows in memory, with the duplicate scan's plans; each
 * invocation runs {@link VerifyPass} over every part (read the part, verify its distinct addresses, write the result
 * rows, count them for the report) into a reused buffer, and writes what the chunk hands out (the first copies later
 * chunks repeat, the copies left to the assembly) where a job writes them, here to nowhere. {@code addresses} is
 * {@code distinct} (every address once) or {@code repeated} (drawn from 800,000: about 570,000 distinct, as in
 * {@code sluice bench verify}'s list). {@code kept} is {@code planned} (a chunk run after the load hands out the
 * first copies later chunks repeat) or {@code all} (a chunk run during the load hands out every first copy). The
 * score is milliseconds per million rows.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar ChunkPassBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
public class ChunkPassBenchmark {

    static final int ROWS = 1_000_000;
    static final int CHUNK = 10_000;

    /** {@code distinct}: every address once; {@code repeated}: drawn from a pool of 800,000. */
    @Param({"distinct", "repeated"})
    public String addresses;

    /** {@code planned}: the first copies later chunks repeat are handed out; {@code all}: every first copy. */
    @Param({"planned", "all"})
    public String kept;

    private final List<byte[]> parts = new ArrayList<>();
    private final List<ChunkDuplicates> duplicates = new ArrayList<>();
    private VerificationEngine engine;
    private VerifyPass pass;
    private final ByteArrayOutputStream result = new ByteArrayOutputStream(8 << 20);

    @Setup
    public void load() throws IOException, MalformedFileException {
        DuplicateScan scan = new DuplicateScan(CHUNK);
        LoadSummary summary = load(addresses, scan, parts);
        scan.plans(parts.size(), (chunk, plan) -> duplicates.add(new ChunkDuplicates(plan, kept.equals("all"))));
        engine = new VerificationEngine(new EmailVerifier(), ShippedDomainLists.shipped(), null, null,
                VerificationCache.none(), new VerificationEngine.Settings(Duration.ofHours(1), Duration.ofHours(1), 64),
                Clock.systemUTC());
        pass = new VerifyPass(engine::verifyAll, ResultFormat.CSV, summary.columns(), summary.keyColumn());
    }

    @TearDown
    public void close() {
        engine.close();
    }

    @Benchmark
    public long chunks() throws IOException {
        long rows = 0;
        for (int i = 0; i < parts.size(); i++) {
            VerifyPass.HandedOut handed = new VerifyPass.HandedOut();
            result.reset();
            rows += pass.run(new ByteArrayInputStream(parts.get(i)), (long) i * CHUNK + 1, result,
                    duplicates.get(i), handed).records();
            handed.keptFirstCopies().writeTo(OutputStream.nullOutputStream());
            LaterCopies.write(handed.laterCopies(), OutputStream.nullOutputStream());
        }
        return rows;
    }

    /**
     * Loads the list ({@code distinct} or {@code repeated}, see {@link #list}) into chunk inputs of {@value #CHUNK}
     * rows in memory, added to {@code parts}, with the duplicate scan fed as a job's load feeds it.
     */
    static LoadSummary load(String addresses, DuplicateScan scan, List<byte[]> parts)
            throws IOException, MalformedFileException {
        List<ByteArrayOutputStream> written = new ArrayList<>();
        LoadSummary summary = new FileLoader(new LoadOptions("email", CHUNK, Long.MAX_VALUE))
                .load(new ByteArrayInputStream(list(addresses.equals("repeated") ? 800_000 : 0)), new ChunkSink() {
                    @Override
                    public OutputStream open(int chunkIndex) {
                        ByteArrayOutputStream part = new ByteArrayOutputStream(1 << 20);
                        written.add(part);
                        return part;
                    }
                }, scan);
        written.forEach(part -> parts.add(part.toByteArray()));
        return summary;
    }

    /**
     * {@code id,name,email}: each row's address is its own, or with a {@code pool} one of {@code pool} drawn at
     * random; an address's number gives its name (20 first and 18 last names), its domain (200, a few large) and
     * whether it is invalid (a tenth, with two dots in a row).
     */
    static byte[] list(int pool) {
        String[] first = {"anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "ines", "jonas",
                "kira", "liam", "maya", "noah", "olga", "paul", "rosa", "sam", "tara", "umar"};
        String[] last = {"smith", "mueller", "garcia", "rossi", "dubois", "novak", "silva", "jensen", "kowalski",
                "tanaka", "brown", "martin", "lopez", "bianchi", "moreau", "horvat", "costa", "larsen"};
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder text = new StringBuilder(ROWS * 50);
        text.append("id,name,email\n");
        for (int i = 1; i <= ROWS; i++) {
            int a = pool == 0 ? i : random.nextInt(pool);
            String f = first[a % first.length];
            String l = last[a / first.length % last.length];
            int domain = (int) ((a * 2654435761L >>> 16) % 1000);
            text.append(i).append(',').append(Character.toUpperCase(f.charAt(0))).append(f, 1, f.length())
                    .append(' ').append(Character.toUpperCase(l.charAt(0))).append(l, 1, l.length()).append(',')
                    .append(f).append(a % 10 == 0 ? ".." : ".").append(l).append(a).append("@company")
                    .append(domain < 500 ? domain % 10 : domain % 200).append(".example.com\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
