package dev.sluice.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.client.SluiceClient;
import dev.sluice.client.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice check ADDRESS...}: each address verified now, one line each, in the order given. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Verify a few addresses now, one at a time, and print a line per address: the address, its "
                        + "status (valid, invalid, accept_all, unknown), reason and score (0-100).",
                "Runs Sluice in this process on --data unless --server (or SLUICE_SERVER) names one.",
                "Any other --some.property=value is a setting of the in-process server."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice check ann@example.com bob@example.org",
                "  sluice check ann@example.com --deadline 10s --server http://sluice.internal:8080 --api-key $KEY",
                "  sluice check ann@example.com --offline",
                "",
                "Exit codes: 0 every address got a verdict (invalid ones too), 1 the server refused, 2 usage error."})
final class CheckCommand extends ClientCommand {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "ADDRESS", description = "The addresses to verify.")
    List<String> addresses;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the server may wait for DNS and SMTP per address (at most 120s); past it the "
                    + "verdict is unknown/timeout. Default: the server's (30s).")
    Duration deadline;

    /**
     * What is wrong whatever the server, checked here so the message names what the user wrote; the server
     * holds the maximum deadline (its {@code sluice.verify.single.max-timeout}) and says so itself.
     */
    @Override
    void validate() {
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw usage("--deadline must be above 0, was " + deadline.toMillis() + "ms");
        }
        for (String address : addresses) {
            if (address.isBlank()) {
                throw usage("an ADDRESS is blank; give each address to verify, e.g. sluice check ann@example.com");
            }
        }
    }

    @Override
    int run(SluiceClient client) {
        List<List<String>> rows = new ArrayList<>(addresses.size());
        for (String address : addresses) {
            Verdict verdict = deadline == null ? client.verify(address) : client.verify(address, deadline);
            rows.add(List.of(address, verdict.status(), verdict.reason(), Integer.toString(verdict.score())));
        }
        new Report(out(), interactive()).rows("check", List.of("address", "status", "reason", "score"), rows);
        return SluiceCommand.OK;
    }
}
