package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.server.SluiceApplication;

/**
 * The job commands against a real server on loopback given with {@code --server} (started in the test JVM,
 * DNS off), run as {@code main} runs them, with output captured. The output is not a terminal, so the
 * tests read the plain {@code kind key=value} lines a script would.
 */
class RemoteCommandsTest {

    private static final String KEY = "sk_live_cli_remote_test";

    @TempDir
    static Path dataDir;

    static ConfigurableApplicationContext server;
    static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void start_server() {
        server = SluiceApplication.run("--server.port=0", "--server.address=127.0.0.1", "--sluice.data-dir=" + dataDir,
                "--SLUICE_BOOTSTRAP_API_KEY=" + KEY, "--sluice.drop.enabled=false", "--sluice.verify.dns.enabled=false",
                "--sluice.job.poll-interval=100ms", "--logging.level.root=warn");
        url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop_server() {
        if (server != null) {
            server.close();
        }
    }

    private static CliRun sluice(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url, "--api-key", KEY));
        return CliRun.of(all);
    }

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    // ---- verify ----

    @Test
    void verify_writes_the_result_and_prints_one_parseable_result_line() throws IOException {
        // given
        Path input = file("list.csv", "id,email\n1,ann@example.com\n2,not-an-address\n3,bob@example.org\n");
        Path output = dir.resolve("checked.csv");

        // when
        CliRun run = sluice("verify", input.toString(), "-o", output.toString());

        // then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, String> result = run.line("result");
        assertThat(result).containsEntry("status", "completed").containsEntry("total", "3")
                .containsEntry("valid", "2").containsEntry("invalid", "1").containsEntry("accept_all", "0")
                .containsEntry("unknown", "0").containsEntry("duplicates", "0")
                .containsEntry("output", output.toAbsolutePath().toString());
        assertThat(result.get("job")).startsWith("job_");
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).contains("not-an-address", ",invalid,");
        // progress goes to stderr as parseable lines, ending with the final counters
        List<Map<String, String>> progress = CliRun.lines(run.err(), "progress");
        assertThat(progress).isNotEmpty();
        assertThat(progress.getLast()).containsEntry("status", "completed").containsEntry("done", "3")
                .containsEntry("total", "3").containsEntry("percent", "100.0").containsKey("rate");
        assertThat(run.err()).doesNotContain("\r");
    }

    @Test
    void verify_without_output_writes_the_chosen_format_next_to_the_input() throws IOException {
        Path input = file("people.csv", "email\nann@example.com\nbob@example.com\n");

        CliRun run = sluice("verify", input.toString(), "--format", "ndjson", "--no-progress");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path expected = dir.resolve("people-verified.ndjson");
        assertThat(run.line("result")).containsEntry("output", expected.toAbsolutePath().toString());
        assertThat(Files.readAllLines(expected)).hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("{").contains("\"sluice_status\":\"valid\""));
        assertThat(CliRun.lines(run.err(), "progress")).isEmpty();
    }

    @Test
    void verify_only_writes_the_rows_of_the_named_verdicts_from_the_servers_filtered_copy() throws IOException {
        Path input = file("only.csv", "id,email\n1,ann@example.com\n2,not-an-address\n3,bob@example.org\n");
        Path output = dir.resolve("valid.csv");

        CliRun run = sluice("verify", input.toString(), "-o", output.toString(), "--only", "valid", "--no-progress");
        CliRun bad = sluice("verify", input.toString(), "--only", "valid,great");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.line("result")).containsEntry("total", "3").containsEntry("only", "valid")
                .containsEntry("written", "2");
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("id,email,sluice_row,sluice_status");
        assertThat(lines.get(1)).startsWith("1,ann@example.com,1,valid,");
        assertThat(lines.get(2)).startsWith("3,bob@example.org,3,valid,");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'great'");
    }

    @Test
    void verify_of_a_file_without_addresses_exits_1_and_says_why() throws IOException {
        Path input = file("names.csv", "name,city\nAnn,Paris\n");

        CliRun run = sluice("verify", input.toString(), "-o", dir.resolve("out.csv").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("ended malformed", "missing_column");
        assertThat(dir.resolve("out.csv")).doesNotExist();
    }

    // ---- check ----

    @Test
    void check_prints_one_line_per_address_in_order_and_exits_0_even_for_invalid_ones() {
        // when
        CliRun run = sluice("check", "ann@example.com", "not-an-address", "info@example.com", "--deadline", "5s");

        // then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Map<String, String>> lines = run.lines("check");
        assertThat(lines).containsExactly(
                Map.of("address", "ann@example.com", "status", "valid", "reason", "offline_checks_passed",
                        "score", "60"),
                Map.of("address", "not-an-address", "status", "invalid", "reason", "syntax_missing_at", "score", "0"),
                Map.of("address", "info@example.com", "status", "valid", "reason", "offline_checks_passed",
                        "score", "45"));
        assertThat(run.out().lines()).hasSize(3);
    }

    @Test
    void check_with_a_deadline_over_the_servers_maximum_fails_with_the_servers_sentence() {
        CliRun run = sluice("check", "ann@example.com", "--deadline", "3m");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SluiceCommand.FAILURE);
        assertThat(run.err()).contains("timeout", "120s");
        assertThat(run.out()).isEmpty();
    }

    // ---- datasets and import ----

    @Test
    void datasets_create_then_import_then_list_show_and_records() throws IOException {
        // given
        CliRun created = sluice("datasets", "create", "cli_people", "--column", "id:integer", "--column", "name",
                "--column", "email:email", "--key", "id");
        Path input = file("people.csv", "id,name,email\n1,Ann,ann@example.com\nx,Bad,bad@example.com\n2,Bob,bob@example.com\n");

        // when
        CliRun imported = sluice("import", input.toString(), "--dataset", "cli_people", "--error-threshold", "50%");

        // then
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.line("created")).containsEntry("name", "cli_people").containsEntry("key", "id");
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.line("result")).containsEntry("status", "completed").containsEntry("dataset", "cli_people")
                .containsEntry("total", "3").containsEntry("completed", "2").containsEntry("failed", "1")
                .containsEntry("ignored", "0");
        Map<String, String> failed = imported.line("failed");
        assertThat(failed).containsEntry("index", "1");
        assertThat(failed.get("error")).isNotBlank();

        CliRun list = sluice("datasets", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.lines("dataset")).anySatisfy(d -> assertThat(d).containsEntry("name", "cli_people")
                .containsEntry("columns", "id:integer:required,name:string,email:email"));
        CliRun show = sluice("datasets", "show", "cli_people");
        assertThat(show.line("dataset")).containsEntry("records", "2").containsEntry("key", "id");
        CliRun records = sluice("datasets", "records", "cli_people", "--limit", "1");
        assertThat(records.lines("record")).hasSize(1).first()
                .isEqualTo(Map.of("id", "1", "name", "Ann", "email", "ann@example.com"));

        // and the same file again with ignore: every record is already there
        CliRun again = sluice("import", input.toString(), "--dataset", "cli_people", "--import-type", "ignore",
                "--show-failures", "0");
        assertThat(again.line("result")).containsEntry("ignored", "2").containsEntry("failed", "1");
        assertThat(again.lines("failed")).isEmpty();
    }

    @Test
    void import_over_its_error_threshold_exits_1_and_changes_nothing() throws IOException {
        sluice("datasets", "create", "cli_strict", "--column", "id:integer", "--column", "name", "--key", "id");
        Path input = file("bad.csv", "id,name\nx,Ann\n2,Bob\n");

        CliRun run = sluice("import", input.toString(), "--dataset", "cli_strict", "--error-threshold", "1%");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("ended failed", "error_threshold_exceeded");
        assertThat(run.line("result")).containsEntry("status", "failed");
        assertThat(sluice("datasets", "show", "cli_strict").line("dataset")).containsEntry("records", "0");
    }

    @Test
    void import_with_mappings_and_no_header_reads_columns_by_index() throws IOException {
        sluice("datasets", "create", "cli_mapped", "--column", "id:integer", "--column", "name", "--key", "id");
        Path input = file("raw.tsv", "Ann\t7\nBob\t8\n");

        CliRun run = sluice("import", input.toString(), "--dataset", "cli_mapped", "--no-headers", "--separator", "tab",
                "--map", "id=1", "--map", "name=0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.line("result")).containsEntry("completed", "2");
        assertThat(sluice("datasets", "records", "cli_mapped").lines("record"))
                .containsExactly(Map.of("id", "7", "name", "Ann"), Map.of("id", "8", "name", "Bob"));
    }

    // ---- append and export ----

    @Test
    void append_adds_the_fields_and_counts_matches() throws IOException {
        // given
        sluice("datasets", "create", "cli_contacts", "--column", "id:integer", "--column", "name", "--column", "email:email",
                "--key", "id");
        sluice("import", file("contacts.csv", "id,name,email\n1,Ann Lee,ann@example.com\n").toString(),
                "--dataset", "cli_contacts");
        Path input = file("names.csv", "full_name,city\nAnn Lee,Paris\nNobody,Rome\n");
        Path output = dir.resolve("enriched.csv");

        // when
        CliRun run = sluice("append", input.toString(), "--dataset", "cli_contacts", "--match", "name",
                "--match-map", "full_name=name", "--fields", "email", "-o", output.toString());

        // then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.line("result")).containsEntry("total", "2").containsEntry("matched", "1").containsEntry("unmatched", "1");
        List<String> lines = Files.readAllLines(output);
        assertThat(lines.getFirst()).contains("full_name", "city", "email", "sluice_match");
        assertThat(lines.get(1)).contains("ann@example.com", "exact");
        assertThat(lines.get(2)).contains("none");
    }

    @Test
    void export_writes_the_file_inside_the_zip_or_the_zip_itself() throws IOException {
        // given
        sluice("datasets", "create", "cli_export", "--column", "id:integer", "--column", "name", "--column", "zip",
                "--key", "id");
        sluice("import", file("e.csv", "id,name,zip\n1,Ann,12345\n2,=cmd,12345\n3,Cid,99999\n").toString(),
                "--dataset", "cli_export");
        Path csv = dir.resolve("out.csv");
        Path zip = dir.resolve("out.zip");

        // when
        CliRun plain = sluice("export", "--dataset", "cli_export", "--fields", "name,id", "--filter", "zip=12345",
                "-o", csv.toString());
        CliRun zipped = sluice("export", "--dataset", "cli_export", "--format", "ndjson", "-o", zip.toString());

        // then
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.line("result")).containsEntry("records", "2").containsEntry("format", "csv");
        assertThat(Files.readString(csv)).isEqualTo("name,id\r\nAnn,1\r\n'=cmd,2\r\n");
        assertThat(zipped.exitCode()).as(zipped.toString()).isZero();
        assertThat(zipped.line("result")).containsEntry("records", "3");
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry entry = entries.getNextEntry();
            assertThat(entry.getName()).isEqualTo("export-cli_export.ndjson");
            assertThat(new String(entries.readAllBytes(), StandardCharsets.UTF_8).lines()).hasSize(3);
        }
    }

    // ---- jobs ----

    @Test
    void jobs_list_show_cancel_and_delete() throws IOException {
        // given: a finished job
        CliRun verified = sluice("verify", file("j.csv", "email\nann@example.com\n").toString(), "--name", "cli jobs test",
                "-o", dir.resolve("j-out.csv").toString());
        String jobId = verified.line("result").get("job");

        // when / then: list
        CliRun list = sluice("jobs", "list", "--limit", "200");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.lines("job")).anySatisfy(j -> assertThat(j).containsEntry("id", jobId)
                .containsEntry("operation", "verify").containsEntry("state", "completed").containsEntry("done", "1")
                .containsEntry("name", "cli jobs test"));

        // show
        CliRun show = sluice("jobs", "show", jobId);
        assertThat(show.line("job")).containsEntry("id", jobId).containsEntry("status", "open")
                .containsEntry("records_done", "1").containsEntry("progress", "100.0%");
        assertThat(show.line("batch")).containsEntry("status", "completed").containsEntry("source", "upload");

        // events
        assertThat(sluice("jobs", "events", jobId).lines("event")).extracting(e -> e.get("type"))
                .contains("job_created", "batch_completed");

        // cancel, then it is listed as cancelled
        CliRun cancel = sluice("jobs", "cancel", jobId);
        assertThat(cancel.line("cancelled")).containsEntry("id", jobId).containsEntry("status", "cancelled");
        assertThat(sluice("jobs", "list", "--status", "cancelled").lines("job")).extracting(j -> j.get("id")).contains(jobId);

        // delete, then it is gone
        assertThat(sluice("jobs", "delete", jobId).line("deleted")).containsEntry("id", jobId);
        CliRun gone = sluice("jobs", "show", jobId);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404").doesNotContain("SLUICE_DEBUG");
    }

    // ---- server problems ----

    @Test
    void a_refusal_from_the_server_is_one_line_and_exit_1() throws IOException {
        Path input = file("x.csv", "id\n1\n");

        CliRun missingDataset = sluice("import", input.toString(), "--dataset", "no_such_dataset");
        CliRun badKey = CliRun.of("jobs", "list", "--server", url, "--api-key", "sk_live_wrong");

        assertThat(missingDataset.exitCode()).isEqualTo(1);
        assertThat(missingDataset.err().strip().lines().filter(l -> l.startsWith("sluice: POST")).toList())
                .singleElement().asString().contains("HTTP 400", "no_such_dataset", "[invalid_request]");
        assertThat(badKey.exitCode()).isEqualTo(1);
        assertThat(badKey.err()).contains("HTTP 401");
    }

    @Test
    void server_settings_with_a_remote_server_are_a_usage_error() throws IOException {
        CliRun run = sluice("verify", file("s.csv", "email\na@example.com\n").toString(), "--sluice.verify.dns.enabled=false");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("apply to the in-process server only");
    }
}
