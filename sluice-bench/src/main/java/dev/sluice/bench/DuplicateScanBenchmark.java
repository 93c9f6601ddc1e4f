package dev.sluice.bench;

import dev.sluice.core.result.DuplicateScan;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
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
 * The loader's duplicate scan on one core: a batch of 1,000,000 rows recorded in row order (as strings, {@code scan},
 * or where they lie in the loader's chars, {@code scanChars}), then its kept rows and
 * each chunk's plan written, which ends the scan as a load does. The score is milliseconds per batch. {@code distinct} is 575,000
 * (the share of {@code sluice bench verify}'s list: the index's tables, about 16 MB, outgrow the cache) or
 * 5,000 (they stay in it); repeats are drawn at random. The cells are cut from one long text as a parser cuts
 * them, so they are fresh in the cache as in a load. A later batch starts from the tables the one before left
 * ({@code DuplicateIndex}), as a server's second job does.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar DuplicateScanBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
public class DuplicateScanBenchmark {

    static final int ROWS = 1_000_000;
    static final int CHUNK = 10_000;

    /** Distinct addresses in the batch: the bench list's share, and few enough for the index to stay in cache. */
    @Param({"575000", "5000"})
    public int distinct;

    /** The rows' cells one after another, cut out per row as a parser makes them: fresh, in cache. */
    private String text;
    private char[] chars;
    private int[] ends;

    @Setup
    public void generate() {
        Random random = new Random(42);
        String[] first = {"anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "ines", "jonas"};
        String[] last = {"smith", "mueller", "garcia", "rossi", "dubois", "novak", "silva", "jensen"};
        String[] addresses = new String[distinct];
        for (int i = 0; i < distinct; i++) {
            addresses[i] = first[i % first.length] + "." + last[i % last.length] + i + "@company" + i % 200
                    + ".example.com";
        }
        String[] cells = new String[ROWS];
        for (int row = 0; row < ROWS; row++) {
            // every address once, in order, then repeats of earlier ones at random places
            cells[row] = row < distinct ? addresses[row] : addresses[random.nextInt(distinct)];
        }
        for (int i = ROWS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = cells[i];
            cells[i] = cells[j];
            cells[j] = swap;
        }
        StringBuilder all = new StringBuilder();
        ends = new int[ROWS];
        for (int row = 0; row < ROWS; row++) {
            all.append(cells[row]);
            ends[row] = all.length();
        }
        text = all.toString();
        chars = text.toCharArray();
    }

    @Benchmark
    public DuplicateScan scan() throws IOException {
        DuplicateScan scan = new DuplicateScan(CHUNK);
        int start = 0;
        for (int row = 0; row < ROWS; row++) {
            scan.record(row + 1, text.substring(start, ends[row]));
            start = ends[row];
        }
        scan.writeKeptRows(OutputStream.nullOutputStream());
        scan.plans(ROWS / CHUNK, (chunk, plan) -> plan.write(OutputStream.nullOutputStream()));
        return scan;
    }

    /** As {@link #scan}, each cell recorded where it lies in the chars, as the loader hands it over. */
    @Benchmark
    public DuplicateScan scanChars() throws IOException {
        DuplicateScan scan = new DuplicateScan(CHUNK);
        int start = 0;
        for (int row = 0; row < ROWS; row++) {
            scan.record(row + 1, chars, start, ends[row]);
            start = ends[row];
        }
        scan.writeKeptRows(OutputStream.nullOutputStream());
        scan.plans(ROWS / CHUNK, (chunk, plan) -> plan.write(OutputStream.nullOutputStream()));
        return scan;
    }
}
