package dev.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.sluice.client.CreateDataset;
import dev.sluice.client.Dataset;
import dev.sluice.client.Page;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice datasets ...}: the account's reference datasets. */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Create, list, show and delete datasets, and page through their records.",
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Show.class, DatasetsCommand.Create.class,
                DatasetsCommand.Records.class, DatasetsCommand.Delete.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice datasets create people --column first_name --column last_name --column zip "
                        + "--column email:email --key first_name,last_name,zip",
                "  sluice datasets list",
                "  sluice datasets show people",
                "  sluice datasets records people --limit 20",
                "  sluice datasets delete people"})
final class DatasetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return SluiceCommand.USAGE;
    }

    static String columns(Dataset d) {
        return String.join(",", d.columns().stream()
                .map(c -> c.name() + ":" + c.type() + (c.required() ? ":required" : "")).toList());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The account's datasets.",
            footerHeading = "%nExamples:%n", footer = "  sluice datasets list --plain")
    static final class ListDatasets extends ClientCommand {
        @Override
        int run(SluiceClient client) {
            new Report(out(), interactive()).rows("dataset", List.of("name", "key", "columns", "created"),
                    client.datasets().stream().map(d -> List.of(d.name(), String.join(",", d.key()), columns(d),
                            JobsCommand.time(d.createdAt()))).toList());
            return SluiceCommand.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A dataset's schema and record count.",
            footerHeading = "%nExamples:%n", footer = "  sluice datasets show people")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(SluiceClient client) {
            Dataset d = client.dataset(name);
            Report report = new Report(out(), interactive());
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", d.name());
            fields.put("records", d.records() == null ? "" : Long.toString(d.records()));
            fields.put("key", String.join(",", d.key()));
            fields.put("columns", columns(d));
            fields.put("created", JobsCommand.time(d.createdAt()));
            report.fields("dataset", fields);
            return SluiceCommand.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create an empty dataset with typed columns and a key.",
                    "Types: string (default), integer, decimal, boolean, date, timestamp, email."},
            footerHeading = "%nExamples:%n",
            footer = "  sluice datasets create people --column id:integer --column name --column email:email:required --key id")
    static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits and underscores.")
        String name;

        @Option(names = "--column", paramLabel = "NAME[:TYPE[:required]]", required = true,
                description = "A column, in order. Repeatable.")
        List<String> columns = new ArrayList<>();

        @Option(names = "--key", paramLabel = "COLUMN", split = ",", required = true,
                description = "The columns identifying a record.")
        List<String> key;

        private CreateDataset request;

        @Override
        void validate() {
            List<Dataset.Column> parsed = new ArrayList<>();
            for (String column : columns) {
                String[] parts = column.split(":", -1);
                if (parts.length > 3 || parts[0].isBlank() || (parts.length == 3 && !parts[2].equalsIgnoreCase("required"))) {
                    throw usage("--column takes NAME, NAME:TYPE or NAME:TYPE:required, was '" + column + "'");
                }
                String type = parts.length > 1 && !parts[1].isBlank() ? parts[1].strip().toLowerCase(Locale.ROOT) : "string";
                parsed.add(new Dataset.Column(parts[0].strip(), type, parts.length == 3));
            }
            request = new CreateDataset(name, parsed, key);
        }

        @Override
        int run(SluiceClient client) {
            Dataset d = client.createDataset(request);
            new Report(out(), interactive()).fields("created",
                    new LinkedHashMap<>(Map.of("name", d.name(), "key", String.join(",", d.key()), "columns", columns(d))));
            return SluiceCommand.OK;
        }
    }

    @Command(name = "records", mixinStandardHelpOptions = true, description = "A dataset's records, in insertion order.",
            footerHeading = "%nExamples:%n", footer = "  sluice datasets records people --limit 20")
    static final class Records extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Most records. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override
        void validate() {
            if (limit < 1) {
                throw usage("--limit must be at least 1");
            }
        }

        @Override
        int run(SluiceClient client) {
            Dataset d = client.dataset(name);
            List<String> names = d.columns().stream().map(Dataset.Column::name).toList();
            List<List<String>> rows = new ArrayList<>();
            String cursor = null;
            do {
                Page<Map<String, Object>> page = client.records(name, cursor, Math.min(200, limit - rows.size()));
                for (Map<String, Object> record : page.items()) {
                    rows.add(names.stream().map(n -> record.get(n) == null ? "" : String.valueOf(record.get(n))).toList());
                }
                cursor = page.nextCursor();
            } while (cursor != null && rows.size() < limit);
            new Report(out(), interactive()).rows("record", names, rows);
            return SluiceCommand.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a dataset and its records.",
            footerHeading = "%nExamples:%n", footer = "  sluice datasets delete people")
    static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(SluiceClient client) {
            client.deleteDataset(name);
            new Report(out(), interactive()).fields("deleted", Map.of("name", name));
            return SluiceCommand.OK;
        }
    }
}
