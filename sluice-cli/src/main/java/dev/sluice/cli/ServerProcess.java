package dev.sluice.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A Sluice server run as a child process ({@code sluice serve}) from the same jar and Java as this one,
 * so a benchmark measures the server alone: its own heap, its own peak memory.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** {@code utime} is field 14 of {@code /proc/<pid>/stat}, the 12th after the command name. */
    private static final int UTIME_AFTER_NAME = 11;
    /** {@code USER_HZ}, 100 on every Linux architecture Java runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final Process process;
    private final Path log;
    private final URI baseUri;
    private final Thread killOnExit;

    private ServerProcess(Process process, Path log, URI baseUri) {
        this.process = process;
        this.log = log;
        this.baseUri = baseUri;
        // Ctrl-C on the benchmark must not leave a server behind.
        this.killOnExit = new Thread(this::kill, "sluice-server-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code sluice serve} on {@code port} (0 picks a free one) with its data in {@code dataDir}
     * and its output in {@code log}.
     */
    static ServerProcess start(int port, Path dataDir, Path log, Map<String, String> env, List<String> serverArgs)
            throws IOException {
        int actualPort = port != 0 ? port : freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        String javaOpts = System.getenv("SLUICE_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            command.addAll(List.of(javaOpts.strip().split("\\s+")));
        }
        command.addAll(launchArguments());
        command.addAll(List.of("serve", "--port", Integer.toString(actualPort), "--data", dataDir.toString()));
        command.addAll(serverArgs);

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ServerProcess(builder.start(), log, URI.create("http://127.0.0.1:" + actualPort));
    }

    /**
     * How to start this program again: {@code -jar sluice.jar} when running from the Spring Boot jar,
     * otherwise (an IDE, tests) the same class path and main class.
     */
    static List<String> launchArguments() {
        String classPath = System.getProperty("java.class.path");
        if (isSluiceJar(classPath)) {
            return List.of("-jar", Path.of(classPath).toAbsolutePath().toString());
        }
        return List.of("-cp", classPath, SluiceCommand.class.getName());
    }

    /**
     * True for sluice.jar: the repackaged one, whose manifest starts {@link SluiceCommand} through Spring Boot's
     * launcher, or the extracted one the {@code ./sluice} launcher runs, whose manifest starts it directly.
     */
    private static boolean isSluiceJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar") || !Files.isRegularFile(Path.of(classPath))) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            Manifest manifest = jar.getManifest();
            String main = SluiceCommand.class.getName();
            return manifest != null && (main.equals(manifest.getMainAttributes().getValue("Start-Class"))
                    || main.equals(manifest.getMainAttributes().getValue("Main-Class")));
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    URI baseUri() {
        return baseUri;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until {@code GET /actuator/health} answers 200. */
    void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        URI health = baseUri.resolve("/actuator/health");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("the server exited with code " + process.exitValue()
                            + " while starting; last lines of " + log + ":\n" + logTail(40));
                }
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notListeningYet) {
                    // keep waiting
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the server did not answer 200 on " + health + " within " + timeout
                            + "; last lines of " + log + ":\n" + logTail(40));
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * The most resident memory the server has used so far ({@code VmHWM} of {@code /proc/<pid>/status}),
     * in bytes; empty where there is no {@code /proc} or the process has gone.
     */
    OptionalLong peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).replace("kB", "").strip();
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return OptionalLong.empty();
    }

    /**
     * CPU time the server has used so far, user plus system ({@code utime + stime} of
     * {@code /proc/<pid>/stat}, in clock ticks of 1/100 s), in seconds; empty where there is no {@code /proc}.
     * On a shared machine this is steadier than wall time.
     */
    OptionalDouble cpuSeconds() {
        try {
            return OptionalDouble.of(cpuSeconds(Files.readString(Path.of("/proc", Long.toString(process.pid()),
                    "stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * The CPU seconds each of the server's live threads used so far, by thread name (Linux keeps its first 15
     * characters), read from {@code /proc/<pid>/task}; empty where there is no {@code /proc}. A thread that ended
     * takes its seconds with it.
     */
    Map<String, Double> cpuSecondsByThread() {
        Map<String, Double> byThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()),
                "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    byThread.merge(name + " " + task.getFileName(), cpuSeconds(stat), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byThread;
    }

    /** User and system seconds from a {@code stat} line of {@code /proc}. */
    private static double cpuSeconds(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[UTIME_AFTER_NAME + 1]);
        return ticks / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * The last {@code lines} lines of the server's output, without stack frames (a stack trace repeated by
     * a retry loop would otherwise fill them all).
     */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t... "))
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Kills the server at once (SIGKILL) and waits a little for it to be gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the server to shut down (SIGTERM) and kills it when it has not stopped after 30 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook will run anyway
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
