package dev.sluice.cli;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one URL at a steady rate with {@code wrk} (a real load generator, not this JVM) while a job runs, and
 * reads its latency percentiles. Debian's {@code wrk} has no rate option: each of its connections waits between
 * the end of one request and the next, on average {@code connections / rate}, so the rate achieved is a little
 * under the one asked (by the latency itself) and is printed beside the percentiles. The waits are drawn at
 * random (exponentially distributed), so requests arrive as from many independent clients: with one fixed wait
 * all connections would start together and stay in step, sending bursts of {@value #CONNECTIONS} requests at
 * once, and the last of each burst would wait for the other 49.
 */
final class LatencyProbe implements AutoCloseable {

    static final int CONNECTIONS = 50;
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$");
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([\\d.]+)\\s*$");

    private final Process wrk;
    private final Path output;

    private LatencyProbe(Process wrk, Path output) {
        this.wrk = wrk;
        this.output = output;
    }

    /**
     * Starts {@code wrk} on {@code url} at about {@code rate} requests per second with {@code headerLine}
     * ({@code name: value}) on every request; its output goes to the file {@code wrk-<name>.txt} in {@code dir}.
     */
    static LatencyProbe start(String wrkCommand, URI url, String headerLine, int rate, Path dir, String name)
            throws IOException {
        Path script = dir.resolve("steady.lua");
        double meanDelayMillis = CONNECTIONS * 1000.0 / rate;
        Files.writeString(script, String.format(Locale.ROOT, """
                math.randomseed(os.time())
                function delay()
                  return math.floor(-%.1f * math.log(1 - math.random()) + 0.5)
                end
                """, meanDelayMillis), StandardCharsets.UTF_8);
        Path output = dir.resolve("wrk-" + name + ".txt");
        // Ten hours of duration: the probe is stopped with SIGINT when the job ends, and wrk then reports.
        Process process = new ProcessBuilder(wrkCommand, "-t1", "-c" + CONNECTIONS, "-d10h", "--latency",
                "-s", script.toString(), "-H", headerLine, url.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new LatencyProbe(process, output);
    }

    /**
     * The {@code wrk} to run: the one on the PATH; when there is none and this runs as root on a system with
     * {@code apt-get}, installs Debian's package first. Otherwise fails saying how to install it.
     */
    static String findOrInstallWrk(Consumer<String> progress) throws IOException, InterruptedException {
        if (onPath("wrk")) {
            return "wrk";
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && onPath("apt-get")) {
            progress.accept("wrk is missing; installing it with apt-get install -y wrk");
            Process install = new ProcessBuilder("apt-get", "install", "-y", "wrk")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (install.waitFor() == 0 && onPath("wrk")) {
                return "wrk";
            }
        }
        throw new IOException("--latency needs wrk, a HTTP load generator; install it first "
                + "(Debian/Ubuntu: sudo apt-get install wrk; elsewhere see https://github.com/wg/wrk)");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Stops {@code wrk} (SIGINT, on which it prints its report) and reads the figures. */
    Latency stop() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor();
        if (!wrk.waitFor(30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IOException("wrk did not stop after SIGINT; its output is in " + output);
        }
        return parse(Files.readAllLines(output, StandardCharsets.UTF_8));
    }

    /** Reads the 50 % and 99 % latencies (in ms) and the rate from {@code wrk --latency}'s report. */
    static Latency parse(List<String> report) {
        OptionalDouble p50 = OptionalDouble.empty();
        OptionalDouble p99 = OptionalDouble.empty();
        OptionalDouble rate = OptionalDouble.empty();
        for (String line : report) {
            Matcher percentile = PERCENTILE.matcher(line);
            if (percentile.matches()) {
                double value = Double.parseDouble(percentile.group(2)) * switch (percentile.group(3)) {
                    case "us" -> 0.001;
                    case "ms" -> 1.0;
                    default -> 1000.0;
                };
                if (percentile.group(1).equals("50")) {
                    p50 = OptionalDouble.of(value);
                } else {
                    p99 = OptionalDouble.of(value);
                }
            }
            Matcher requests = RATE.matcher(line);
            if (requests.matches()) {
                rate = OptionalDouble.of(Double.parseDouble(requests.group(1)));
            }
        }
        return new Latency(p50, p99, rate);
    }

    @Override
    public void close() {
        if (wrk.isAlive()) {
            wrk.destroyForcibly();
        }
    }

    /** What {@code wrk} measured; empty where its report did not say. */
    record Latency(OptionalDouble p50Millis, OptionalDouble p99Millis, OptionalDouble requestsPerSecond) {

        String describe(OptionalDouble value, String format) {
            return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "n/a";
        }
    }
}
