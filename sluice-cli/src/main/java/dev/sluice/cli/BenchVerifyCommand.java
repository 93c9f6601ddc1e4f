package dev.sluice.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.client.Batch;
import dev.sluice.client.BatchFile;
import dev.sluice.client.BatchStatus;
import dev.sluice.client.CreateJob;
import dev.sluice.client.Event;
import dev.sluice.client.Job;
import dev.sluice.client.OutputFormat;
import dev.sluice.client.Page;
import dev.sluice.client.Result;
import dev.sluice.client.SluiceClient;
import dev.sluice.server.ingest.IngestProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice bench verify}: one whole verify job, end to end, against a fresh server in a child
 * process: generate a list, upload it, wait for the verdicts, download them, and print the figures.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Run one verify job end to end against a fresh server started as a child process.",
                "Runs a cold job (the first on a fresh server) and a warm one (the second), and for each prints "
                        + "upload / processing / download / total seconds, records per second, the server's CPU "
                        + "seconds (also by kind of thread: workers, early chunks, compilers, collector, requests), "
                        + "the time as a multiple of a raw FastCSV read + write of the same file (measured "
                        + "in the same run) and the rows of the result, which must equal --rows; then the "
                        + "server's peak resident memory.",
                "A list over the server's default 50 MB upload limit raises the limit of the bench's own server.",
                "The list is synthetic and seeded: ~90%% valid addresses over 200 domains under example.com/net/org "
                        + "(no real mail server is contacted), ~10%% invalid, some role accounts.",
                "SLUICE_JAVA_OPTS applies to the server as well."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice bench verify",
                "  sluice bench verify --rows 20000 --keep",
                "  sluice bench verify --rows 5000000 --timeout 2h",
                "  sluice bench verify --uploads 8 --latency",
                "  sluice bench verify --server-arg=--logging.level.root=warn"})
final class BenchVerifyCommand implements Callable<Integer> {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final double MB = 1024.0 * 1024.0;
    /** {@code sluice.ingest.max-file-size}'s default, 50 MB. */
    private static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;
    /** Requests per second {@code --latency} drives {@code GET /api/v1/jobs/{id}} at. */
    private static final int LATENCY_RATE = 500;
    /**
     * How long {@code --latency}'s steady load runs before the job's upload: a server under a steady load has
     * answered it for a while, so the requests' code is compiled when the job starts, as in the field.
     */
    private static final Duration LATENCY_LEAD = Duration.ofSeconds(15);

    @Spec
    private CommandSpec spec;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000",
            description = "Records in the generated list. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Port for the server; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--keep",
            description = "Keep the temporary directory (list, result, server data and log) and print its path.")
    boolean keep;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seed of the generated list. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "Give up when the batch has not finished after this long (e.g. 90s, 30m, 2h). "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--network",
            description = "Run the DNS and SMTP stages too (the server's configured resolvers and port 25). "
                    + "Without it the server runs the offline stage only, so the figures measure Sluice, not the network.")
    boolean network;

    @Option(names = "--uploads", paramLabel = "N", defaultValue = "0",
            description = "Afterwards, upload the list to N new batches at once on a fresh server and print the time "
                    + "and that server's peak resident memory (8 is the figure to hold). Default: ${DEFAULT-VALUE}.")
    int uploads;

    @Option(names = "--latency",
            description = "During the warm job, drive GET /api/v1/jobs/{id} at 500 requests/s with wrk and print "
                    + "p50 / p99. The same load runs for 15 s before the upload, so that it is steady when the job "
                    + "starts; that lead's p50 / p99 are printed too. Installs Debian's wrk with apt-get when missing "
                    + "and running as root.")
    boolean latency;

    @Option(names = "--server-arg", paramLabel = "ARG",
            description = "Extra argument for the server's 'serve' command, e.g. --server-arg=--sluice.x=y. Repeatable.")
    List<String> serverArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rows must be at least 1");
        }
        if (uploads < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--uploads must not be negative");
        }
        String wrk = latency ? LatencyProbe.findOrInstallWrk(message -> progress("%s", message)) : null;
        Path dir = Files.createTempDirectory("sluice-bench-");
        Path input = dir.resolve("input.csv");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String apiKey = "sluice_bench_" + HexFormat.of().formatHex(secret);
        boolean succeeded = false;
        AtomicReference<ServerProcess> running = new AtomicReference<>();
        // Interrupted (Ctrl-C, SIGTERM): no finally block runs, so stop the server and clean up here.
        Thread cleanup = new Thread(() -> {
            ServerProcess server = running.get();
            if (server != null) {
                server.kill();
            }
            if (!keep) {
                deleteRecursively(dir);
            }
        }, "sluice-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            long generateBegin = System.nanoTime();
            new ContactListGenerator(seed).write(input, rows);
            long fileBytes = Files.size(input);
            progress("generated %,d rows (%.1f MB) in %.1f s", rows, fileBytes / MB,
                    seconds(System.nanoTime() - generateBegin));
            double rawSeconds = seconds(RawCsvPass.run(input, dir.resolve("raw.csv")));
            Files.delete(dir.resolve("raw.csv"));
            progress("raw FastCSV read + 3 columns + write of the same file: %.2f s", rawSeconds);

            Run run = new Run(dir, apiKey, running);
            List<Figures> jobs = new ArrayList<>();
            Sample serverSample;
            try (ServerProcess server = run.start("data", ingestLimits(fileBytes, 1))) {
                jobs.add(run.job(server, "cold", input, dir.resolve("cold.csv"), null));
                jobs.add(run.job(server, "warm", input, dir.resolve("warm.csv"), wrk));
                serverSample = new Sample(run.startupSeconds, server.peakRssBytes());
            } finally {
                running.set(null);
            }
            PrintWriter out = spec.commandLine().getOut();
            line(out, "rows", Long.toString(rows));
            line(out, "file MB", String.format(Locale.ROOT, "%.1f", fileBytes / MB));
            line(out, "raw FastCSV s", String.format(Locale.ROOT, "%.2f", rawSeconds));
            line(out, "server startup s", String.format(Locale.ROOT, "%.2f", serverSample.seconds()));
            line(out, "server peak RSS MB", megabytes(serverSample.peakRssBytes()));
            for (Figures job : jobs) {
                job.print(out, rows, rawSeconds);
            }
            if (uploads > 0) {
                line(out, "uploads", Integer.toString(uploads));
                Sample uploaded = run.concurrentUploads(input, uploads, ingestLimits(fileBytes, uploads));
                line(out, "uploads s", String.format(Locale.ROOT, "%.2f", uploaded.seconds()));
                line(out, "uploads peak RSS MB", megabytes(uploaded.peakRssBytes()));
            }
            out.flush();
            for (Figures job : jobs) {
                if (job.resultRows() != rows) {
                    progress("FAILED: the %s result has %,d rows, the list had %,d", job.name(), job.resultRows(),
                            rows);
                    return SluiceCommand.FAILURE;
                }
            }
            succeeded = true;
            return SluiceCommand.OK;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook cleans up
            }
            if (keep) {
                progress("kept %s", dir);
            } else {
                deleteRecursively(dir);
                if (!succeeded) {
                    progress("removed %s; run again with --keep to look at the list, result and server log", dir);
                }
            }
        }
    }

    /**
     * Server arguments so that the bench's own server takes its file {@code uploads} times at once: a file
     * over the default 50 MB (e.g. {@code --rows 3000000}) raises {@code max-file-size} to fit, more rows than
     * the default most raise {@code max-records}, and concurrent uploads raise the per-account limit. One job,
     * one file: the figures stay those of one batch rather than of several smaller ones.
     */
    private List<String> ingestLimits(long fileBytes, int uploadsAtOnce) {
        List<String> args = new ArrayList<>();
        if (fileBytes > DEFAULT_MAX_FILE_BYTES) {
            args.add("--sluice.ingest.max-file-size=" + (fileBytes / (1024 * 1024) + 1) + "MB");
        }
        if (rows > IngestProperties.DEFAULT_MAX_RECORDS) {
            args.add("--sluice.ingest.max-records=" + rows);
        }
        if (uploadsAtOnce > IngestProperties.DEFAULT_MAX_UPLOADS_PER_ACCOUNT) {
            args.add("--sluice.ingest.max-uploads-per-account=" + uploadsAtOnce);
        }
        return args;
    }

    /** The servers of one bench run: same data directory root, key and options. */
    private final class Run {

        private final Path dir;
        private final String apiKey;
        private final AtomicReference<ServerProcess> running;
        double startupSeconds;

        Run(Path dir, String apiKey, AtomicReference<ServerProcess> running) {
            this.dir = dir;
            this.apiKey = apiKey;
            this.running = running;
        }

        ServerProcess start(String name, List<String> limits) throws IOException, InterruptedException {
            Path dataDir = Files.createDirectories(dir.resolve(name));
            progress("starting a server (data and log in %s)", dataDir);
            long startupBegin = System.nanoTime();
            List<String> args = new ArrayList<>();
            // the bench needs no SFTP drop, and must not fail because its port is taken
            args.add("--sluice.drop.enabled=false");
            if (!network) {
                args.add("--sluice.verify.dns.enabled=false");
            }
            args.addAll(limits);
            args.addAll(serverArgs);
            ServerProcess server = ServerProcess.start(port, dataDir, dataDir.resolve("server.log"),
                    Map.of("SLUICE_BOOTSTRAP_API_KEY", apiKey), args);
            running.set(server);
            server.awaitHealthy(STARTUP_TIMEOUT);
            startupSeconds = seconds(System.nanoTime() - startupBegin);
            progress("server pid %d up at %s in %.1f s", server.pid(), server.baseUri(), startupSeconds);
            return server;
        }

        Figures job(ServerProcess server, String name, Path input, Path output, String wrk) throws Exception {
            try (SluiceClient client = SluiceClient.builder().baseUri(server.baseUri()).apiKey(apiKey).build()) {
                return runJob(client, server, name, input, output, wrk, apiKey);
            } catch (RuntimeException e) {
                progress("the %s job failed; last lines of the server's log:%n%s", name, server.logTail(30));
                throw e;
            }
        }

        /**
         * Uploads {@code input} to {@code count} new batches at once on a fresh server and answers how long
         * that took and the server's peak RSS right after (its batches have started loading by then).
         */
        Sample concurrentUploads(Path input, int count, List<String> limits) throws Exception {
            try (ServerProcess server = start("uploads", limits);
                 SluiceClient client = SluiceClient.builder().baseUri(server.baseUri()).apiKey(apiKey).build()) {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Job job = client.createJob(CreateJob.verify("bench upload " + i, OutputFormat.CSV));
                    urls.add(client.createBatchFile(job.id()).uploadUrl());
                }
                progress("uploading %d files of %.1f MB at once", count, Files.size(input) / MB);
                long begin = System.nanoTime();
                try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
                    List<Future<?>> sent = new ArrayList<>();
                    for (String url : urls) {
                        sent.add(threads.submit(() -> client.upload(url, input)));
                    }
                    for (Future<?> future : sent) {
                        future.get();
                    }
                }
                double elapsed = seconds(System.nanoTime() - begin);
                return new Sample(elapsed, server.peakRssBytes());
            } finally {
                running.set(null);
            }
        }
    }

    private Figures runJob(SluiceClient client, ServerProcess server, String name, Path input, Path output,
            String wrk, String apiKey) throws Exception {
        OptionalDouble cpuBefore = server.cpuSeconds();
        Map<String, Double> threadsBefore = server.cpuSecondsByThread();
        long begin = System.nanoTime();
        Job job = client.createJob(CreateJob.verify("bench verify " + rows + " rows", OutputFormat.CSV));
        BatchFile batchFile = client.createBatchFile(job.id());
        URI jobUrl = server.baseUri().resolve("/api/v1/jobs/" + job.id());
        String keyHeader = SluiceClient.API_KEY_HEADER + ": " + apiKey;

        LatencyProbe.Latency leadLatencies = null;
        if (wrk != null) {
            long leadBegin = System.nanoTime();
            progress("%s job: GET /api/v1/jobs/{id} at %d requests/s with wrk, %d s before the upload", name,
                    LATENCY_RATE, LATENCY_LEAD.toSeconds());
            try (LatencyProbe probe = LatencyProbe.start(wrk, jobUrl, keyHeader, LATENCY_RATE, output.getParent(),
                    name + "-before")) {
                Thread.sleep(LATENCY_LEAD);
                leadLatencies = probe.stop();
            }
            // the lead is not the job's: its time and CPU are left out of the job's figures
            cpuBefore = server.cpuSeconds();
            threadsBefore = server.cpuSecondsByThread();
            begin += System.nanoTime() - leadBegin;
        }
        progress("%s job: uploading to job %s, batch %s", name, job.id(), batchFile.id());
        long uploadBegin = System.nanoTime();
        client.upload(batchFile.uploadUrl(), input);
        long uploaded = System.nanoTime();

        Batch batch;
        LatencyProbe.Latency latencies = null;
        if (wrk == null) {
            batch = awaitFinished(client, job.id(), batchFile.id());
        } else {
            progress("%s job: the same GETs while it runs", name);
            try (LatencyProbe probe = LatencyProbe.start(wrk, jobUrl, keyHeader, LATENCY_RATE, output.getParent(),
                    name + "-during")) {
                batch = awaitFinished(client, job.id(), batchFile.id());
                latencies = probe.stop();
            }
        }
        long processed = System.nanoTime();
        if (batch.status() != BatchStatus.COMPLETED) {
            String reason = batch.error() == null ? "no reason given"
                    : batch.error().code() + ": " + batch.error().message();
            throw new IllegalStateException("batch " + batch.id() + " ended " + status(batch) + " (" + reason + ")");
        }

        progress("%s job: downloading the result", name);
        Result result = client.result(job.id(), batch.id());
        client.download(result.downloadUrl(), output);
        long downloaded = System.nanoTime();
        OptionalDouble cpuAfter = server.cpuSeconds();
        Map<String, Double> threadsAfter = server.cpuSecondsByThread();
        OptionalDouble cpu = cpuBefore.isPresent() && cpuAfter.isPresent()
                ? OptionalDouble.of(cpuAfter.getAsDouble() - cpuBefore.getAsDouble()) : OptionalDouble.empty();
        String cpuByThread = threadsAfter.isEmpty() ? "n/a" : ThreadCpu.describe(threadsBefore, threadsAfter);
        long resultRows = CsvRows.countRecords(output);
        Files.delete(output);
        return new Figures(name, seconds(uploadBegin - begin), seconds(uploaded - uploadBegin),
                seconds(processed - uploaded), seconds(downloaded - processed), seconds(downloaded - begin), cpu,
                cpuByThread, resultRows, batch, leadLatencies, latencies, stages(client, job.id()));
    }

    /**
     * The server's stages of the job, from its events: queued to loaded (the file cut into chunks), loaded to the
     * last chunk done, the last chunk to completed (the assembly).
     */
    private static String stages(SluiceClient client, String jobId) {
        Instant queued = null;
        Instant loaded = null;
        Instant lastChunk = null;
        Instant completed = null;
        String cursor = null;
        do {
            Page<Event> page = client.events(jobId, cursor, 100);
            for (Event event : page.items()) {
                switch (event.type()) {
                    case "batch_queued" -> queued = event.at();
                    case "batch_loaded" -> loaded = event.at();
                    case "records_processed" -> lastChunk = event.at();
                    case "batch_completed" -> completed = event.at();
                    default -> {
                    }
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return String.format(Locale.ROOT, "load %s, chunks %s, assembly %s", between(queued, loaded),
                between(loaded, lastChunk), between(lastChunk, completed));
    }

    private static String between(Instant from, Instant to) {
        return from == null || to == null ? "n/a"
                : String.format(Locale.ROOT, "%.2f", Duration.between(from, to).toMillis() / 1e3);
    }

    /**
     * Polls every 100 ms rather than with the client's backoff: the processing time is measured from the
     * polls, so they must be fine-grained, and on loopback they cost nothing.
     */
    private Batch awaitFinished(SluiceClient client, String jobId, String batchId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean console = stderrIsTerminal();
        PrintWriter err = spec.commandLine().getErr();
        long lastReport = System.nanoTime();
        while (true) {
            Batch batch = client.batch(jobId, batchId);
            if (batch.isTerminal()) {
                if (console) {
                    err.print("\r\033[K");
                    err.flush();
                }
                return batch;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("batch " + batchId + " is still " + status(batch) + " after "
                        + timeout + "; try a longer --timeout");
            }
            if (console) {
                err.printf(Locale.ROOT, "\rbench: %s %5.1f%% (%,d of %,d records)\033[K",
                        status(batch), batch.progress(), processedOf(batch), rows);
                err.flush();
            } else if (now - lastReport > Duration.ofSeconds(10).toNanos()) {
                progress("%s %.1f%% (%,d of %,d records)", status(batch), batch.progress(), processedOf(batch), rows);
                lastReport = now;
            }
            sleep(POLL_INTERVAL);
        }
    }

    /**
     * Whether a live progress line can be redrawn. From JDK 22 {@code System.console()} exists even when
     * output is redirected and {@code Console.isTerminal()} tells; on 21 a console means a terminal.
     */
    private static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }

    private static String status(Batch batch) {
        return batch.status() == null ? "running" : batch.status().name().toLowerCase(Locale.ROOT);
    }

    private static long processedOf(Batch batch) {
        return batch.records() == null ? 0 : batch.records().processed();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch", e);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Progress goes to stderr, so that stdout carries only the figures. */
    private void progress(String format, Object... args) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }

    private void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            progress("could not remove %s: %s", dir, e.getMessage());
        }
    }

    private static String megabytes(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.0f", bytes.getAsLong() / MB) : "n/a";
    }

    /** One figure per line, name then value, for people and for {@code awk}. */
    private static void line(PrintWriter out, String name, String value) {
        out.printf("%-20s %s%n", name, value);
    }

    /** How long something on a server took and the server's peak RSS afterwards. */
    private record Sample(double seconds, OptionalLong peakRssBytes) {
    }

    /** What one job measured; {@code name} ({@code cold}, {@code warm}) prefixes each of its lines. */
    record Figures(String name, double setupSeconds, double uploadSeconds, double processingSeconds,
                   double downloadSeconds, double totalSeconds, OptionalDouble serverCpuSeconds,
                   String serverCpuByThread, long resultRows, Batch batch, LatencyProbe.Latency leadLatency,
                   LatencyProbe.Latency latency, String stages) {

        void print(PrintWriter out, long rows, double rawSeconds) {
            String p = name + " ";
            line(out, p + "job setup s", String.format(Locale.ROOT, "%.2f", setupSeconds));
            line(out, p + "upload s", String.format(Locale.ROOT, "%.2f", uploadSeconds));
            line(out, p + "processing s", String.format(Locale.ROOT, "%.2f", processingSeconds));
            line(out, p + "stages s", stages);
            line(out, p + "download s", String.format(Locale.ROOT, "%.2f", downloadSeconds));
            line(out, p + "total s", String.format(Locale.ROOT, "%.2f", totalSeconds));
            line(out, p + "records/s", String.format(Locale.ROOT, "%.0f", rows / totalSeconds));
            line(out, p + "x raw FastCSV", String.format(Locale.ROOT, "%.1f", totalSeconds / rawSeconds));
            line(out, p + "server CPU s", serverCpuSeconds.isPresent()
                    ? String.format(Locale.ROOT, "%.2f", serverCpuSeconds.getAsDouble()) : "n/a");
            line(out, p + "CPU by thread s", serverCpuByThread);
            line(out, p + "result rows", Long.toString(resultRows));
            if (batch.records() != null) {
                line(out, p + "valid", Long.toString(batch.records().valid()));
                line(out, p + "invalid", Long.toString(batch.records().invalid()));
                line(out, p + "accept_all", Long.toString(batch.records().acceptAll()));
                line(out, p + "unknown", Long.toString(batch.records().unknown()));
            }
            if (leadLatency != null) {
                line(out, p + "GET job lead p50 ms", leadLatency.describe(leadLatency.p50Millis(), "%.2f"));
                line(out, p + "GET job lead p99 ms", leadLatency.describe(leadLatency.p99Millis(), "%.2f"));
            }
            if (latency != null) {
                line(out, p + "GET job p50 ms", latency.describe(latency.p50Millis(), "%.2f"));
                line(out, p + "GET job p99 ms", latency.describe(latency.p99Millis(), "%.2f"));
                line(out, p + "GET job req/s", latency.describe(latency.requestsPerSecond(), "%.0f"));
            }
        }
    }
}
