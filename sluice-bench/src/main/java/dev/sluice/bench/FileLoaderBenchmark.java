package dev.sluice.bench;

import dev.sluice.core.ingest.ChunkSink;
import dev.sluice.core.ingest.FileLoader;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.ingest.LoadSummary;
import dev.sluice.core.ingest.MalformedFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 * The loader on one core: a file of 1,000,000 rows (about 56 MB: an address, two names, a company, a city and a
 * note, quoted in every tenth row or in none) read from memory, checked for binary content, decoded, trimmed around quoted cells, parsed and
 * written to chunk parts that go nowhere. The score is milliseconds per file; what the load costs beyond this is
 * storage and the duplicate scan ({@link DuplicateScanBenchmark}).
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar FileLoaderBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
public class FileLoaderBenchmark {

    static final int ROWS = 1_000_000;

    /** Whether every tenth row has a quoted note ({@code tenth}) or no row has a quote ({@code none}). */
    @Param({"tenth", "none"})
    public String quotes;

    private byte[] file;

    @Setup
    public void generate() {
        String[] first = {"anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "ines", "jonas"};
        String[] last = {"smith", "mueller", "garcia", "rossi", "dubois", "novak", "silva", "jensen"};
        String[] cities = {"Berlin", "Lyon", "Porto", "Graz", "Leeds", "Turin", "Malmo", "Ghent"};
        StringBuilder text = new StringBuilder(ROWS * 60);
        text.append("email,first_name,last_name,company,city,note\n");
        for (int i = 0; i < ROWS; i++) {
            String f = first[i % first.length];
            String l = last[i % last.length];
            text.append(f).append('.').append(l).append(i).append("@company").append(i % 200).append(".example.com,")
                    .append(f).append(',').append(l).append(",Company ").append(i % 200).append(" Ltd,")
                    .append(cities[i % cities.length])
                    .append(i % 10 == 0 && quotes.equals("tenth") ? ",\"met at the fair, 2026\"\n" : ",\n");
        }
        file = text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public long load() throws IOException, MalformedFileException {
        LoadSummary summary = new FileLoader(LoadOptions.emailDefaults()).load(new ByteArrayInputStream(file),
                new ChunkSink() {
                    @Override
                    public OutputStream open(int chunkIndex) {
                        return OutputStream.nullOutputStream();
                    }
                });
        return summary.records();
    }
}
