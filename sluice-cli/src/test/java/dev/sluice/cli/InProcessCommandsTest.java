package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.client.CreateDataset;
import dev.sluice.client.Dataset;
import dev.sluice.client.SluiceClient;
import dev.sluice.server.SluiceApplication;

/**
 * The job commands without {@code --server}: each run starts Sluice in the test JVM on the given data
 * directory, works through it over loopback HTTP and stops it. DNS is turned off with a passed-through
 * server setting or {@code --offline}, so no network is touched.
 */
class InProcessCommandsTest {

    @TempDir
    Path dir;

    @Test
    void verify_runs_in_process_and_a_second_command_on_the_same_data_dir_sees_its_job() throws IOException {
        // given
        Path data = dir.resolve("data");
        Path input = dir.resolve("list.csv");
        Files.writeString(input, "email\nann@example.com\nnot an address\n");
        Path output = dir.resolve("checked.csv");

        // when
        CliRun verify = CliRun.of("verify", input.toString(), "-o", output.toString(), "--data", data.toString(),
                "--sluice.verify.dns.enabled=false");
        CliRun list = CliRun.of("jobs", "list", "--data", data.toString(), "--offline");

        // then
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.err()).contains("starting Sluice in this process on " + data.toAbsolutePath());
        assertThat(verify.line("result")).containsEntry("valid", "1").containsEntry("invalid", "1");
        assertThat(Files.readAllLines(output)).hasSize(3);
        Path keyFile = data.resolve(EmbeddedServer.KEY_FILE);
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.line("job")).containsEntry("id", verify.line("result").get("job")).containsEntry("state", "completed");
        // the embedded server's logs stay off stdout, and its INFO lines off stderr too (errors only)
        assertThat(verify.out().lines()).allSatisfy(line -> assertThat(line).startsWith("result "));
        assertThat(verify.err()).doesNotContain("embedded server").doesNotContain("INFO");
    }

    @Test
    void verify_estimate_prints_the_quote_and_writes_no_file() throws IOException {
        // given a list with a repeated and an invalid address
        Path data = dir.resolve("quote-data");
        Path input = dir.resolve("quote.csv");
        Files.writeString(input, "email\nann@example.com\n ann@EXAMPLE.com\nnot an address\nbob@example.org\n");

        // when
        CliRun estimate = CliRun.of("verify", "--estimate", input.toString(), "--data", data.toString(),
                "--sluice.verify.dns.enabled=false");

        // then one line of figures on stdout, and no result file beside the list
        assertThat(estimate.exitCode()).as(estimate.toString()).isZero();
        assertThat(estimate.line("estimate")).containsEntry("records", "4").containsEntry("distinct", "3")
                .containsEntry("duplicates", "1").containsEntry("already_invalid", "1")
                .containsEntry("need_smtp", "0").containsEntry("credits", "0");
        assertThat(dir.resolve("quote-verified.csv")).doesNotExist();
    }

    @Test
    void check_runs_in_process_offline_and_prints_only_its_lines_on_stdout() {
        // when
        CliRun check = CliRun.of("check", "Ann@Example.COM", "john..doe@example.com", "--data",
                dir.resolve("data").toString(), "--offline");

        // then
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.lines("check")).containsExactly(
                Map.of("address", "Ann@Example.COM", "status", "valid", "reason", "offline_checks_passed",
                        "score", "60"),
                Map.of("address", "john..doe@example.com", "status", "invalid", "reason",
                        "syntax_local_part", "score", "0"));
        assertThat(check.out().lines()).allSatisfy(line -> assertThat(line).startsWith("check "));
    }

    @Test
    void verify_only_in_process_writes_only_the_named_verdicts() throws IOException {
        Path input = dir.resolve("list.csv");
        Files.writeString(input, "email\nann@example.com\nnot an address\nbob@example.org\n");
        Path output = dir.resolve("invalid.ndjson");

        CliRun verify = CliRun.of("verify", input.toString(), "-o", output.toString(), "--format", "ndjson",
                "--only", "invalid", "--data", dir.resolve("data").toString(), "--sluice.verify.dns.enabled=false");

        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.line("result")).containsEntry("invalid", "1").containsEntry("written", "1");
        assertThat(Files.readAllLines(output)).singleElement()
                .satisfies(line -> assertThat(line).contains("\"sluice_row\":2", "\"sluice_status\":\"invalid\""));
    }

    @Test
    void a_data_dir_made_by_serve_gets_a_key_for_its_admin_account() throws IOException {
        // given: a data directory whose admin key only 'serve' printed, with a dataset in it
        Path data = dir.resolve("served");
        try (ConfigurableApplicationContext served = SluiceApplication.run("--server.port=0",
                "--server.address=127.0.0.1", "--sluice.data-dir=" + data, "--SLUICE_BOOTSTRAP_API_KEY=sk_live_printed_once",
                "--sluice.drop.enabled=false", "--logging.level.root=warn");
                SluiceClient client = SluiceClient.builder()
                        .baseUri(URI.create("http://127.0.0.1:" + served.getEnvironment().getProperty("local.server.port")))
                        .apiKey("sk_live_printed_once").build()) {
            client.createDataset(new CreateDataset("served_people", List.of(Dataset.Column.of("id", "integer")), List.of("id")));
        }

        // when
        CliRun list = CliRun.of("datasets", "list", "--data", data.toString(), "--offline");

        // then
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.line("dataset")).containsEntry("name", "served_people");
        assertThat(Files.readString(data.resolve(EmbeddedServer.KEY_FILE)).strip())
                .startsWith("sk_live_").isNotEqualTo("sk_live_printed_once");
    }
}
