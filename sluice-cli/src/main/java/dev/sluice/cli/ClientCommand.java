package dev.sluice.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.sluice.client.Backoff;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command that works through the native API: on {@code --server} when given, otherwise on a server
 * started in this process on the data directory ({@link EmbeddedServer}). Either way the work goes through
 * one {@link SluiceClient}, so both modes run the same code.
 */
abstract class ClientCommand implements Callable<Integer> {

    /**
     * Polls of the in-process server: first after 50 ms, its workers' own poll interval, instead of the client's
     * default 200 ms; a small job is done within a few of them, and a poll over loopback costs a cheap query.
     */
    static final Backoff IN_PROCESS_POLLS = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 1.5);

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:SLUICE_SERVER}",
            description = "Sluice server to use, e.g. http://sluice.internal:8080 (env SLUICE_SERVER). "
                    + "Without it the command runs Sluice in this process on --data.")
    String server;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SLUICE_API_KEY}",
            description = "API key for --server (env SLUICE_API_KEY). In this process: the admin key is found "
                    + "or made in the data directory's cli-api-key file.")
    String apiKey;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:SLUICE_DATA_DIR:-./sluice-data}",
            description = "Data directory of the in-process server, as for 'sluice serve' (env SLUICE_DATA_DIR). "
                    + "Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--offline",
            description = "In-process only: skip the network checks (DNS and SMTP); verdicts come from syntax, "
                    + "lists and the public suffix list.")
    boolean offline;

    @Option(names = "--plain",
            description = "Plain, parseable lines even on a terminal (the default when output is not a terminal).")
    boolean plain;

    @Option(names = "--no-progress", negatable = false, description = "Print no progress while waiting.")
    boolean noProgress;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "Give up waiting after this long (e.g. 90s, 30m, 2h); the job goes on. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Unmatched
    List<String> serverProperties = new ArrayList<>();

    /** Runs the command against a client of the chosen server. */
    abstract int run(SluiceClient client) throws Exception;

    @Override
    public final Integer call() throws Exception {
        validate();
        checkServerProperties();
        if (server != null && !server.isBlank()) {
            if (apiKey == null || apiKey.isBlank()) {
                throw usage("--server needs an API key: pass --api-key or set SLUICE_API_KEY");
            }
            if (offline) {
                throw usage("--offline applies to the in-process server; a remote server's checks are its own settings");
            }
            try (SluiceClient client = client(serverUri(), apiKey.strip())) {
                return run(client);
            }
        }
        status("starting Sluice in this process on %s (no --server given)", data.toAbsolutePath().normalize());
        try (EmbeddedServer embedded = EmbeddedServer.start(data, blankToNull(apiKey), offline, serverProperties);
                SluiceClient client = SluiceClient.builder().baseUri(embedded.baseUri()).apiKey(embedded.apiKey())
                        .pollBackoff(IN_PROCESS_POLLS).build()) {
            return run(client);
        }
    }

    /** Checks of the arguments that picocli cannot express; throw {@link #usage} for exit code 2. */
    void validate() {
    }

    private void checkServerProperties() {
        for (String arg : serverProperties) {
            if (!arg.matches("--[A-Za-z][\\w-]*(\\.[\\w-]+)+=.*")) {
                throw usage("unknown option or argument '" + arg + "'; server settings are given as --some.property=value");
            }
        }
        if (!serverProperties.isEmpty() && server != null && !server.isBlank()) {
            throw usage("server settings (" + serverProperties.getFirst() + ") apply to the in-process server only; "
                    + "the server at " + server + " has its own");
        }
    }

    private URI serverUri() {
        try {
            URI uri = URI.create(server.strip());
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw usage("--server must be an http or https URL like http://localhost:8080, was '" + server + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw usage("--server must be an http or https URL like http://localhost:8080, was '" + server + "'");
        }
    }

    private static SluiceClient client(URI uri, String key) {
        return SluiceClient.builder().baseUri(uri).apiKey(key).build();
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Whether tables and a redrawn progress bar suit the output. */
    boolean interactive() {
        return !plain && Terminal.isInteractive();
    }

    Progress progress(String label) {
        return new Progress(err(), noProgress ? Progress.Mode.NONE : interactive() ? Progress.Mode.BAR : Progress.Mode.LINES,
                label);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A line about what the command does, on stderr so that stdout carries only results. */
    void status(String format, Object... args) {
        err().println("sluice: " + String.format(Locale.ROOT, format, args));
        err().flush();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
