package dev.sluice.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.server.SluiceApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    private ConfigurableApplicationContext context;

    @Override
    public Integer call() {
        context = SluiceApplication.run(springArgs().toArray(String[]::new));
        return SluiceCommand.OK;
    }

    /** The arguments handed to Spring: ours first, so that explicit pass-through ones can still override. */
    List<String> springArgs() {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--sluice.data-dir=" + data.toAbsolutePath().normalize());
        if (verbose) {
            args.add("--logging.level.root=INFO");
        }
        args.addAll(springArgs);
        return args;
    }

    /** True once the server has started and until it is closed. */
    boolean isRunning() {
        return context != null && context.isActive();
    }
}
