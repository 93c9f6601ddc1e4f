package dev.sluice.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.client.Batch;
import dev.sluice.client.BatchFile;
import dev.sluice.client.BatchStatus;
import dev.sluice.client.CreateJob;
import dev.sluice.client.Job;
import dev.sluice.client.OutputFormat;
import dev.sluice.client.Result;
import dev.sluice.client.SluiceClient;
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
                "Prints rows, file MB, upload / processing / download / total seconds, records per second, "
                        + "the server's peak resident memory and the rows of the result, which must equal --rows.",
                "The list is synthetic and seeded: ~90%% valid addresses over 200 domains under example.com/net/org "
                        + "(no real mail server is contacted), ~10%% invalid, some role accounts.",
                "SLUICE_JAVA_OPTS applies to the server as well."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice bench verify",
                "  sluice bench verify --rows 20000 --keep",
                "  sluice bench verify --rows 5000000 --timeout 2h",
                "  sluice bench verify --server-arg=--logging.level.root=warn"})
final class BenchVerifyCommand implements Callable<Integer> {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final double MB = 1024.0 * 1024.0;

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

    @Option(names = "--server-arg", paramLabel = "ARG",
            description = "Extra argument for the server's 'serve' command, e.g. --server-arg=--sluice.x=y. Repeatable.")
    List<String> serverArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rows must be at least 1");
        }
        Path dir = Files.createTempDirectory("sluice-bench-");
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Path input = dir.resolve("input.csv");
        Path output = dir.resolve("result.csv");
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
            progress("starting the server (data and log in %s)", dir);
            long startupBegin = System.nanoTime();
            Figures figures;
            List<String> args = new ArrayList<>();
            // the bench needs no SFTP drop, and must not fail because its port is taken
            args.add("--sluice.drop.enabled=false");
            if (!network) {
                args.add("--sluice.verify.dns.enabled=false");
            }
            args.addAll(serverArgs);
            try (ServerProcess server = ServerProcess.start(port, dataDir, dir.resolve("server.log"),
                    Map.of("SLUICE_BOOTSTRAP_API_KEY", apiKey), args)) {
                running.set(server);
                server.awaitHealthy(STARTUP_TIMEOUT);
                double startupSeconds = seconds(System.nanoTime() - startupBegin);
                progress("server pid %d up at %s in %.1f s", server.pid(), server.baseUri(), startupSeconds);

                long generateBegin = System.nanoTime();
                new ContactListGenerator(seed).write(input, rows);
                progress("generated %,d rows (%.1f MB) in %.1f s", rows, Files.size(input) / MB,
                        seconds(System.nanoTime() - generateBegin));

                try (SluiceClient client = SluiceClient.builder()
                        .baseUri(server.baseUri()).apiKey(apiKey).build()) {
                    figures = runJob(client, input, output);
                } catch (RuntimeException e) {
                    progress("the job failed; last lines of the server's log:%n%s", server.logTail(30));
                    throw e;
                }
                figures = figures.withServer(startupSeconds, server.peakRssBytes());
            } finally {
                running.set(null);
            }
            figures.print(spec.commandLine().getOut(), rows, Files.size(input));
            if (figures.resultRows() != rows) {
                progress("FAILED: the result has %,d rows, the list had %,d", figures.resultRows(), rows);
                return SluiceCommand.FAILURE;
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

    private Figures runJob(SluiceClient client, Path input, Path output) throws IOException {
        long begin = System.nanoTime();
        Job job = client.createJob(CreateJob.verify("bench verify " + rows + " rows", OutputFormat.CSV));
        BatchFile batchFile = client.createBatchFile(job.id());

        progress("uploading to job %s, batch %s", job.id(), batchFile.id());
        long uploadBegin = System.nanoTime();
        client.upload(batchFile.uploadUrl(), input);
        long uploaded = System.nanoTime();

        Batch batch = awaitFinished(client, job.id(), batchFile.id());
        long processed = System.nanoTime();
        if (batch.status() != BatchStatus.COMPLETED) {
            String reason = batch.error() == null ? "no reason given"
                    : batch.error().code() + ": " + batch.error().message();
            throw new IllegalStateException("batch " + batch.id() + " ended " + status(batch) + " (" + reason + ")");
        }

        progress("downloading the result");
        Result result = client.result(job.id(), batch.id());
        client.download(result.downloadUrl(), output);
        long downloaded = System.nanoTime();

        return new Figures(seconds(uploadBegin - begin), seconds(uploaded - uploadBegin), seconds(processed - uploaded),
                seconds(downloaded - processed), seconds(downloaded - begin), CsvRows.countRecords(output), batch,
                0, OptionalLong.empty());
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

    /** What one run measured. */
    record Figures(double setupSeconds, double uploadSeconds, double processingSeconds, double downloadSeconds,
                   double totalSeconds, long resultRows, Batch batch, double startupSeconds, OptionalLong peakRssBytes) {

        Figures withServer(double startup, OptionalLong peakRss) {
            return new Figures(setupSeconds, uploadSeconds, processingSeconds, downloadSeconds, totalSeconds, resultRows, batch,
                    startup, peakRss);
        }

        /** One figure per line, name then value, for people and for {@code awk}. */
        void print(PrintWriter out, long rows, long fileBytes) {
            line(out, "rows", Long.toString(rows));
            line(out, "file MB", String.format(Locale.ROOT, "%.1f", fileBytes / MB));
            line(out, "upload s", String.format(Locale.ROOT, "%.2f", uploadSeconds));
            line(out, "processing s", String.format(Locale.ROOT, "%.2f", processingSeconds));
            line(out, "download s", String.format(Locale.ROOT, "%.2f", downloadSeconds));
            line(out, "total s", String.format(Locale.ROOT, "%.2f", totalSeconds));
            line(out, "records/s", String.format(Locale.ROOT, "%.0f", rows / totalSeconds));
            line(out, "server peak RSS MB", peakRssBytes.isPresent()
                    ? String.format(Locale.ROOT, "%.0f", peakRssBytes.getAsLong() / MB) : "n/a");
            line(out, "result rows", Long.toString(resultRows));
            line(out, "server startup s", String.format(Locale.ROOT, "%.2f", startupSeconds));
            line(out, "job setup s", String.format(Locale.ROOT, "%.2f", setupSeconds));
            if (batch.records() != null) {
                line(out, "valid", Long.toString(batch.records().valid()));
                line(out, "invalid", Long.toString(batch.records().invalid()));
                line(out, "accept_all", Long.toString(batch.records().acceptAll()));
                line(out, "unknown", Long.toString(batch.records().unknown()));
            }
            out.flush();
        }

        private static void line(PrintWriter out, String name, String value) {
            out.printf("%-20s %s%n", name, value);
        }
    }
}
