package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice} as a user runs it: a separate Java process through {@code main} (the same class path as
 * the jar's), so exit codes come from {@code System.exit} and stdout and stderr are real streams.
 */
class MainProcessTest {

    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {
    }

    private Exit sluice(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(ServerProcess.launchArguments());
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("SLUICE_SERVER");
        builder.environment().remove("SLUICE_API_KEY");
        Process process = builder.start();
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
}
