package dev.sluice.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice bench}: end-to-end benchmarks of whole jobs. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Measure whole jobs end to end against a server started for the purpose.",
        subcommands = BenchVerifyCommand.class,
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice bench verify",
                "  sluice bench verify --rows 20000 --keep"})
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return SluiceCommand.USAGE;
    }
}
