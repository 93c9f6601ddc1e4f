package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Parsing, help and exit codes of the command tree, without starting anything. */
class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = SluiceCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void help_lists_the_commands_with_examples_and_exits_0() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve", "bench", "Examples:", "sluice bench verify --rows");
    }

    @Test
    void main_builds_only_the_named_command_and_every_command_otherwise() {
        assertThat(SluiceCommand.commandLine("serve").getSubcommands()).containsOnlyKeys("serve");
        assertThat(SluiceCommand.commandLine("check").getSubcommands()).containsOnlyKeys("check");
        assertThat(SluiceCommand.commandLine("check").getSubcommands().get("check").getCommandSpec()
                .findOption("--timeout")).isNull();
        for (String other : new String[] {null, "help", "--help", "--version", "verfy"}) {
            assertThat(SluiceCommand.commandLine(other).getSubcommands().keySet()).as(other)
                    .containsExactlyElementsOf(SluiceCommand.COMMANDS.keySet());
        }
        // each command's own annotation names it as the table does
        SluiceCommand.COMMANDS.forEach((name, type) ->
                assertThat(type.getAnnotation(CommandLine.Command.class).name()).isEqualTo(name));
        // the usage of one command reads the same whichever tree it is in
        assertThat(SluiceCommand.commandLine("verify").getSubcommands().get("verify").getUsageMessage())
                .isEqualTo(SluiceCommand.commandLine().getSubcommands().get("verify").getUsageMessage());
    }

    @Test
    void a_mistyped_command_is_refused_with_a_suggestion_and_exits_2() {
        CommandLine commandLine = SluiceCommand.commandLine("verfy");
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));

        assertThat(commandLine.execute("verfy", "list.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("verfy", "verify");
    }

    @Test
    void version_names_sluice_and_exits_0() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("sluice ");
    }

    @Test
    void no_command_shows_usage_and_exits_2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: sluice");
    }

    @Test
    void unknown_command_is_a_usage_error() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("frobnicate");
    }

    @Test
    void bench_without_a_benchmark_shows_usage_and_exits_2() {
        assertThat(run("bench")).isEqualTo(2);
        assertThat(err.toString()).contains("verify");
    }

    @Test
    void bad_option_value_is_a_usage_error() {
        assertThat(run("bench", "verify", "--rows", "many")).isEqualTo(2);
        assertThat(run("bench", "verify", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void zero_rows_is_a_usage_error() {
        assertThat(run("bench", "verify", "--rows", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--rows must be at least 1");
    }

    @Test
    void serve_passes_port_absolute_data_dir_and_unknown_options_to_spring() {
        // when
        CommandLine commandLine = SluiceCommand.commandLine();
        CommandLine.ParseResult parsed = commandLine.parseArgs(
                "serve", "--port", "9000", "--data", "some/dir", "--sluice.x=y", "--logging.level.root=warn");
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();

        // then
        assertThat(serve.springArgs()).containsExactly(
                "--server.port=9000",
                "--sluice.data-dir=" + Path.of("some/dir").toAbsolutePath().normalize(),
                "--sluice.x=y",
                "--logging.level.root=warn");
    }

    @Test
    void serve_refuses_a_mistyped_option_instead_of_ignoring_it() {
        assertThat(run("serve", "--data-dir", "/tmp/somewhere")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option or argument '--data-dir'", "--data");
        assertThat(run("serve", "--port=9000x", "--sluice.job.chunk-size")).isEqualTo(2);
    }

    @Test
    void serve_verbose_brings_back_the_framework_info_logs_and_an_explicit_level_still_wins() {
        // when
        ServeCommand quiet = (ServeCommand) SluiceCommand.commandLine().parseArgs("serve").subcommand()
                .commandSpec().userObject();
        ServeCommand verbose = (ServeCommand) SluiceCommand.commandLine()
                .parseArgs("serve", "--verbose", "--logging.level.root=debug").subcommand().commandSpec().userObject();

        // then: by default the server's own defaults apply (framework at WARN); --verbose sets INFO, and an
        // explicit level given with it replaces that (Spring would join the two into "INFO,debug")
        assertThat(quiet.springArgs()).noneMatch(arg -> arg.startsWith("--logging."));
        assertThat(verbose.springArgs()).contains("--logging.level.root=debug")
                .doesNotContain("--logging.level.root=INFO");
    }

    @Test
    void serve_lets_an_explicit_data_dir_or_port_replace_its_own_instead_of_joining_them() {
        ServeCommand serve = (ServeCommand) SluiceCommand.commandLine()
                .parseArgs("serve", "--sluice.data-dir=/srv/sluice", "--server.port=9001").subcommand()
                .commandSpec().userObject();

        assertThat(serve.springArgs()).filteredOn(arg -> arg.startsWith("--sluice.data-dir="))
                .containsExactly("--sluice.data-dir=/srv/sluice");
        assertThat(serve.springArgs()).filteredOn(arg -> arg.startsWith("--server.port="))
                .containsExactly("--server.port=9001");
    }

    @Test
    void of_arguments_naming_one_property_the_last_is_kept_where_it_stands() {
        assertThat(SpringArgs.lastWins(List.of("--a=1", "--b=2", "--debug", "--a=3", "--debug", "--c.d=4")))
                .containsExactly("--b=2", "--debug", "--a=3", "--debug", "--c.d=4");
    }

    @Test
    void bench_verify_defaults_to_a_million_rows_on_a_free_port() {
        CommandLine.ParseResult parsed = SluiceCommand.commandLine().parseArgs("bench", "verify");
        BenchVerifyCommand bench = (BenchVerifyCommand) parsed.subcommand().subcommand().commandSpec().userObject();

        assertThat(bench.rows).isEqualTo(1_000_000);
        assertThat(bench.port).isZero();
        assertThat(bench.keep).isFalse();
        assertThat(bench.timeout).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void durations_are_read_as_people_write_them() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("PT45M")).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void every_command_has_help_with_examples() {
        java.util.List<CommandLine> all = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(SluiceCommand.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.poll();
            all.add(c);
            todo.addAll(c.getSubcommands().values().stream().filter(s -> !s.getCommandName().equals("help")).toList());
        }

        assertThat(all).extracting(CommandLine::getCommandName)
                .contains("verify", "import", "append", "export", "jobs", "list", "show", "cancel", "delete", "datasets");
        // picocli warns on stderr, and prints the text unformatted, when a help text has a stray '%'
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            assertThat(all).allSatisfy(c -> assertThat(c.getUsageMessage()).as(c.getCommandName()).contains("Examples:"));
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(run("verify", "--help")).isZero();
        assertThat(out.toString()).contains("sluice verify list.csv -o checked.csv", "--server", "--offline");
    }

    @Test
    void verify_without_a_file_or_with_a_missing_one_is_a_usage_error() {
        assertThat(run("verify")).isEqualTo(2);
        assertThat(run("verify", "/no/such/list.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'", "cannot read /no/such/list.csv");
    }

    @Test
    void bad_options_of_the_job_commands_are_usage_errors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path list = java.nio.file.Files.writeString(dir.resolve("l.csv"), "email\na@example.com\n");

        assertThat(run("verify", list.toString(), "--format", "xml")).isEqualTo(2);
        assertThat(run("verify", list.toString(), "--fromat=csv")).isEqualTo(2);
        assertThat(run("verify", list.toString(), "--server", "http://127.0.0.1:1", "--api-key", "")).isEqualTo(2);
        assertThat(run("verify", list.toString(), "--server", "not a url", "--api-key", "k")).isEqualTo(2);
        assertThat(run("import", list.toString())).isEqualTo(2);
        assertThat(run("import", list.toString(), "--dataset", "d", "--error-threshold", "lots")).isEqualTo(2);
        assertThat(run("import", list.toString(), "--dataset", "d", "--map", "nonsense")).isEqualTo(2);
        assertThat(run("append", list.toString(), "--dataset", "d", "--match", "a")).isEqualTo(2);
        assertThat(run("export", "--dataset", "d", "--job", "job_1")).isEqualTo(2);
        assertThat(run("export")).isEqualTo(2);
        assertThat(run("jobs")).isEqualTo(2);
        assertThat(run("jobs", "show")).isEqualTo(2);
        assertThat(run("datasets", "create", "d", "--column", "a:b:c:d", "--key", "a")).isEqualTo(2);
        assertThat(run("check", "a@example.com", "--deadline", "0s", "--server", "http://127.0.0.1:1",
                "--api-key", "k")).isEqualTo(2);
        assertThat(run("check", " ", "--server", "http://127.0.0.1:1", "--api-key", "k")).isEqualTo(2);
        assertThat(run("check", "a@example.com", "--timeout", "5s")).isEqualTo(2);
        assertThat(err.toString()).contains("--format is csv, json or ndjson", "'--fromat=csv'", "needs an API key",
                "--server must be an http or https URL", "Missing required option: '--dataset=NAME'", "errorThreshold",
                "--map takes FIELD=COLUMN", "--fields", "mutually exclusive", "--column takes NAME",
                "--deadline must be above 0, was 0ms", "an ADDRESS is blank",
                "unknown option or argument '--timeout'");
    }
}
