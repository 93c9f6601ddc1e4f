package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice} as a user runs it: a separate Java process through {@code main} (the same class path as
 * the jar's), so exit codes come from {@code System.exit} and stdout and stderr are real streams. Also the
 * server as {@code ./sluice} starts it, with the bean definitions Spring's AOT engine wrote when the server
 * module was packaged ({@code spring.aot.enabled=true}), and without them when a property given at run time may
 * change which beans exist.
 */
class MainProcessTest {

    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {
    }

    private Exit sluice(String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = start(List.of(), List.of(args), out, err, Map.of());
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("sluice " + String.join(" ", args) + " did not end");
        }
        return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void verify_in_its_own_process_exits_0_with_only_the_result_on_stdout() throws Exception {
        Files.writeString(dir.resolve("list.csv"), "email\nann@example.com\nbroken@\n");

        Exit exit = sluice("verify", "list.csv", "-o", "checked.csv", "--offline");

        assertThat(exit.code()).as(exit.toString()).isZero();
        assertThat(exit.out().lines().toList()).singleElement().asString()
                .startsWith("result job=job_").contains("valid=1", "invalid=1", "output=" + dir.resolve("checked.csv"));
        assertThat(exit.err()).contains("starting Sluice in this process on " + dir.resolve("sluice-data"),
                "progress job=");
        assertThat(dir.resolve("checked.csv")).exists();
        assertThat(dir.resolve("sluice-data").resolve(EmbeddedServer.KEY_FILE)).exists();
    }

    @Test
    void a_usage_error_exits_2_and_an_unreachable_server_exits_1() throws Exception {
        Exit usage = sluice("verify", "missing.csv");
        Exit unreachable = sluice("jobs", "list", "--server", "http://127.0.0.1:" + ServerProcess.freePort(),
                "--api-key", "k");

        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("cannot read missing.csv");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err().lines().toList()).singleElement().asString()
                .startsWith("sluice: GET http://127.0.0.1:").contains("is the server running");
    }
    @Test
    void serve_starts_with_the_beans_prepared_at_build_time_and_verifies_a_list() throws Exception {
        Files.writeString(dir.resolve("list.csv"), "email\nann@example.com\nbroken@\nann@example.com\n");
        int port = ServerProcess.freePort();

        try (Served served = serve(port)) {
            // the server's DNS is off, so the list gets the offline checks only
            Exit exit = sluice("verify", "list.csv", "-o", "checked.csv", "--server", "http://127.0.0.1:" + port, "--api-key", KEY);

            assertThat(served.log()).contains("is ready in", "beans prepared at build time")
                    .doesNotContain("Starting without the bean definitions prepared at build time");
            // SQLite's native library is loaded from the data directory's copy, not extracted to the temporary
            // directory again (sqlite-jdbc's copies there are named sqlite-<version>-<uuid>-<library>)
            List<Path> kept;
            List<String> temporary;
            try (Stream<Path> files = Files.walk(dir.resolve("served").resolve("native"));
                    Stream<Path> extracted = Files.list(dir.resolve("tmp"))) {
                kept = files.filter(Files::isRegularFile).toList();
                temporary = extracted.map(file -> file.getFileName().toString()).toList();
            }
            assertThat(kept).singleElement()
                    .satisfies(library -> assertThat(dir.resolve("served").resolve("native").relativize(library)
                            .getName(0).toString()).startsWith("sqlite-jdbc-"));
            assertThat(temporary).noneMatch(name -> name.startsWith("sqlite-"));
            assertThat(exit.code()).as(exit.toString()).isZero();
            assertThat(exit.out()).contains("valid=2", "invalid=1");
            assertThat(Files.readAllLines(dir.resolve("checked.csv"))).hasSize(4);
        }
    }

    @Test
    void a_management_port_given_at_run_time_starts_without_them_and_moves_the_actuator() throws Exception {
        int port = ServerProcess.freePort();
        int management = ServerProcess.freePort();

        try (Served served = serve(port, "--management.server.port=" + management,
                "--management.server.address=127.0.0.1")) {
            HttpResponse<String> health = get(management, "/actuator/health");
            // readiness turns to accepting traffic beside the banner, on the same event
            for (int tries = 0; health.statusCode() != 200 && tries < 100; tries++) {
                Thread.sleep(100);
                health = get(management, "/actuator/health");
            }
            HttpResponse<String> healthOnApiPort = get(port, "/actuator/health");

            assertThat(served.log()).contains("Starting without the bean definitions prepared at build time: "
                    + "management.server.address, management.server.port are set").contains("is ready in")
                    .doesNotContain("beans prepared at build time)");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
            assertThat(healthOnApiPort.statusCode()).isEqualTo(404);
        }
    }

    private static final String KEY = "sk_live_main_process_test_key";

    /** A {@code sluice serve} in its own process, stopped (and waited for) on close. */
    private record Served(Process process, Path logFile) implements AutoCloseable {

        String log() throws IOException {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Starts {@code sluice serve} on {@code port} as {@code ./sluice} runs it ({@code spring.aot.enabled=true}),
     * DNS and SFTP off, with {@code args}; returns once its banner says it is ready.
     */
    private Served serve(int port, String... args) throws IOException, InterruptedException {
        List<String> serve = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--data",
                dir.resolve("served").toString(), "--sluice.verify.dns.enabled=false", "--sluice.drop.enabled=false"));
        serve.addAll(List.of(args));
        Path log = dir.resolve("serve-" + port + ".log");
        Files.createDirectories(dir.resolve("tmp"));
        Served served = new Served(start(List.of("-Dspring.aot.enabled=true", "-Djava.io.tmpdir=" + dir.resolve("tmp")),
                serve, log, log,
                Map.of("SLUICE_BOOTSTRAP_API_KEY", KEY)), log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!served.log().contains("is ready in")) {
            if (!served.process().isAlive() || System.nanoTime() > deadline) {
                served.close();
                throw new AssertionError("sluice serve did not get ready:\n" + served.log());
            }
            Thread.sleep(100);
        }
        return served;
    }

    /**
     * Starts this program in its own Java process, in {@code dir}, with {@code jvm} options before the class path
     * and {@code env} added to this one's environment.
     */
    private Process start(List<String> jvm, List<String> args, Path out, Path err, Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvm);
        command.addAll(ServerProcess.launchArguments());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile());
        if (out.equals(err)) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        builder.environment().remove("SLUICE_SERVER");
        builder.environment().remove("SLUICE_API_KEY");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
