package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.sluice.client.SluiceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The root {@code sluice} command and the main class of {@code sluice.jar}. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        // the commands are added by commandLine(name), see COMMANDS
        description = {"Self-hosted asynchronous bulk processing of email lists.",
                "The job commands use --server (or SLUICE_SERVER) with --api-key (or SLUICE_API_KEY); without a "
                        + "server they run Sluice in this process on --data (default ./sluice-data)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice verify list.csv -o checked.csv",
                "  sluice check ann@example.com bob@example.org",
                "  sluice import people.csv --dataset people --error-threshold 5%%",
                "  sluice append contacts.csv --dataset people --match first_name,last_name,zip --fields email",
                "  sluice export --dataset people -o people.csv",
                "  sluice jobs list --server http://localhost:8080 --api-key $KEY",
                "  sluice serve --port 8080 --data ./sluice-data",
                "  SLUICE_PORT=9000 sluice serve --sluice.some-setting=value",
                "  sluice bench verify --rows 100000",
                "  sluice help bench",
                "",
                "Exit codes: 0 success, 1 failure, 2 usage error."})
public final class SluiceCommand implements Callable<Integer> {

    /** Exit code when the command ran and succeeded. */
    static final int OK = 0;
    /** Exit code when the command ran and failed. */
    static final int FAILURE = 1;
    /** Exit code when the command line itself was wrong. */
    static final int USAGE = 2;

    /** The system property sizing the buffers in which the JDK's HTTP client reads responses. */
    static final String HTTP_CLIENT_BUFFER = "jdk.httpclient.bufsize";

    /**
     * The commands under {@code sluice}, by the name each declares, in the order help lists them. Reading a
     * command's annotations is most of what building the tree costs (picocli's classes are too old a class-file
     * version for the JVM's start-up cache), so {@link #main} builds only the command its first argument names.
     */
    static final Map<String, Class<?>> COMMANDS = commands();

    @Spec
    private CommandSpec spec;

    /** Without a command there is nothing to do: show what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    public static void main(String[] args) {
        // The JDK's HTTP client reads a response in 16 KB buffers unless told otherwise; results run to tens of
        // megabytes, and 256 KB buffers download them in about half the time (docs/benchmarks.md). A -D wins.
        if (System.getProperty(HTTP_CLIENT_BUFFER) == null) {
            System.setProperty(HTTP_CLIENT_BUFFER, String.valueOf(256 * 1024));
        }
        CommandLine commandLine = commandLine(args.length > 0 ? args[0] : null);
        int exitCode = commandLine.execute(args);
        if (exitCode == OK && serverIsRunning(commandLine.getParseResult())) {
            // The server runs on its own non-daemon threads; exiting here would stop it.
            return;
        }
        System.exit(exitCode);
    }

    /** The whole command tree with Sluice's exit codes and error reporting, for tests. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree with Sluice's exit codes and error reporting: under the root only the command called
     * {@code name}, or every command when {@code name} is another word (help, a typo, an option, nothing), so
     * that usage, suggestions and {@code sluice help X} see them all.
     */
    static CommandLine commandLine(String name) {
        CommandLine commandLine = new CommandLine(new SluiceCommand());
        boolean one = COMMANDS.containsKey(name) && !name.equals("help");
        COMMANDS.forEach((command, type) -> {
            if (!one || command.equals(name)) {
                commandLine.addSubcommand(command, type);
            }
        });
        commandLine.setExecutionExceptionHandler(SluiceCommand::reportFailure);
        CommandLine check = commandLine.getSubcommands().get("check");
        if (check != null) {
            // check waits for no job, so the job commands' waiting options would only mislead there
            CommandSpec spec = check.getCommandSpec();
            spec.remove(spec.findOption("--timeout"));
            spec.remove(spec.findOption("--no-progress"));
        }
        return commandLine;
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand.class);
        commands.put("verify", VerifyCommand.class);
        commands.put("check", CheckCommand.class);
        commands.put("import", ImportCommand.class);
        commands.put("append", AppendCommand.class);
        commands.put("export", ExportCommand.class);
        commands.put("jobs", JobsCommand.class);
        commands.put("datasets", DatasetsCommand.class);
        commands.put("bench", BenchCommand.class);
        commands.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(commands);
    }

    private static boolean serverIsRunning(ParseResult parsed) {
        ParseResult last = parsed;
        while (last != null && last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last != null && last.commandSpec().userObject() instanceof ServeCommand serve && serve.isRunning();
    }

    /**
     * A failure while running a command is reported in one line; the stack trace only matters to
     * developers, who get it with SLUICE_DEBUG=1.
     */
    private static int reportFailure(Exception e, CommandLine commandLine, ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText("sluice: "
                + (e instanceof SluiceException ? e.getMessage() : messageOf(e))));
        if (e instanceof SluiceException && System.getenv("SLUICE_DEBUG") == null) {
            // the server's answer, or why it could not be reached: the message says it all
            err.flush();
            return FAILURE;
        }
        if (System.getenv("SLUICE_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set SLUICE_DEBUG=1 to see the stack trace)");
        }
        err.flush();
        return FAILURE;
    }

    static String messageOf(Throwable e) {
        Throwable t = e;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return message != null ? message : e.getClass().getName();
    }
}
