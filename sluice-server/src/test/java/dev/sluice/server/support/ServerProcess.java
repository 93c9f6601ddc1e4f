package dev.sluice.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Sluice server in a child JVM (the test classpath, the real main class), so a test can SIGKILL it
 * mid-job and start it again on the same data.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server on a free port with {@code --key=value} Spring arguments; waits until it is healthy. */
    public static ServerProcess start(Path dataDir, Path log, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return start(List.of("-Xmx512m"), dataDir, log, env, args);
    }

    /** As {@link #start(Path, Path, Map, String...)}, with these JVM options instead of the tests' heap limit. */
    public static ServerProcess start(List<String> jvmOptions, Path dataDir, Path log, Map<String, String> env,
            String... args) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.sluice.server.SluiceApplication");
        command.add("--server.port=" + port);
        command.add("--sluice.data-dir=" + dataDir);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        ServerProcess server = new ServerProcess(builder.start(), port);
        try {
            server.awaitHealthy(Duration.ofSeconds(90));
        } catch (IllegalStateException e) {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            throw new IllegalStateException(e.getMessage() + "; the end of its log:\n" + tail, e);
        }
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing graceful. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        Await.until("the server process healthy at " + baseUrl(), timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server process exited with " + process.exitValue());
            }
            try {
                return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the server process", e);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
