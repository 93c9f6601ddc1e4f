package dev.sluice.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.server.SluiceApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code sluice serve}: runs the server in this JVM until it is stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Start the Sluice server (HTTP API, workers, embedded SQLite and blob storage under --data).",
                "Any other --key=value argument is passed to the server as a Spring property."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice serve",
                "  sluice serve --port 9000 --data /var/lib/sluice",
                "  sluice serve --verbose",
                "  sluice serve --logging.level.dev.sluice=debug"})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:SLUICE_PORT:-8080}",
            description = "HTTP port (env SLUICE_PORT). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:SLUICE_DATA_DIR:-./sluice-data}",
            description = "Data directory: database and files, created when missing (env SLUICE_DATA_DIR). "
                    + "Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--verbose",
            description = "Also log the framework's INFO lines (Spring, Tomcat, Hikari...); by default a start "
                    + "prints Sluice's banner and lines, and warnings and errors of every library.")
    boolean verbose;

    /**
     * What goes to Spring: {@code --name=value} with a dotted property name ({@code --sluice.job.chunk-size=5000}),
     * or Spring Boot's {@code --debug} and {@code --trace}. Anything else is most likely a mistyped option of this
     * command ({@code --data-dir} for {@code --data}), which Spring would ignore without a word.
     */
    private static final Pattern PROPERTY = Pattern.compile("--[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_\\[\\]-]+)+=.*"
            + "|--debug|--trace");

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    private ConfigurableApplicationContext context;

    @Override
    public Integer call() {
        for (String arg : springArgs) {
            if (!PROPERTY.matcher(arg).matches()) {
                throw new ParameterException(spec.commandLine(), "unknown option or argument '" + arg
                        + "': serve takes --port, --data and --verbose, and passes server settings as"
                        + " --name=value (e.g. --sluice.job.chunk-size=5000)");
            }
        }
        context = SluiceApplication.run(springArgs().toArray(String[]::new));
        return SluiceCommand.OK;
    }

    /**
     * The arguments handed to Spring: ours first; an explicit pass-through one for the same property replaces ours.
     */
    List<String> springArgs() {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--sluice.data-dir=" + data.toAbsolutePath().normalize());
        if (verbose) {
            args.add("--logging.level.root=INFO");
        }
        args.addAll(springArgs);
        return SpringArgs.lastWins(args);
    }

    /** True once the server has started and until it is closed. */
    boolean isRunning() {
        return context != null && context.isActive();
    }
}
