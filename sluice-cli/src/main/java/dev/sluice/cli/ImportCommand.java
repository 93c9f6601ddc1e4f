package dev.sluice.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.client.Batch;
import dev.sluice.client.CreateJob;
import dev.sluice.client.ImportOptions;
import dev.sluice.client.ImportType;
import dev.sluice.client.Job;
import dev.sluice.client.Outcome;
import dev.sluice.client.RecordCounts;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice import FILE --dataset D}: a file loaded into a dataset, all or nothing. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Load a CSV/TSV file into a dataset. All or nothing: when more records fail than --error-threshold "
                        + "allows, the dataset is left exactly as it was and the command exits 1.",
                "Prints completed / failed / ignored counts and the first failed records with their reasons."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice import people.csv --dataset people",
                "  sluice import people.csv --dataset people --import-type replace --error-threshold 5%%",
                "  sluice import export.tsv --dataset products --no-headers --map sku=0 --map title=2",
                "",
                "Exit codes: 0 the batch completed, 1 it failed (threshold exceeded), was malformed or the server refused, 2 usage error."})
final class ImportCommand extends FileJobCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to load.")
    Path file;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "The dataset to load into.")
    String dataset;

    @Option(names = "--import-type", paramLabel = "TYPE",
            description = "What to do with records whose key exists: ignore (keep them), update (change the mapped "
                    + "columns; the server's default) or replace (write every column).")
    String importType;

    @Option(names = "--error-threshold", paramLabel = "N|P%",
            description = "Most failed records allowed: a count (0 = no limit) or a percentage like 5%%. Default: no limit.")
    String errorThreshold;

    @Option(names = "--headers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Whether the first row is a header naming the columns (--no-headers: it is a record). "
                    + "Default: ${DEFAULT-VALUE}.")
    boolean headers;

    @Option(names = "--separator", paramLabel = "CHAR",
            description = "Field separator: , tab | or ;. Default: found from the file.")
    String separator;

    @Option(names = "--map", paramLabel = "FIELD=COLUMN",
            description = "Fill dataset FIELD from the file's COLUMN (a header name, or a 0-based index). Repeatable. "
                    + "Default: columns matched by header name (or taken in order without headers).")
    List<String> mappings = new ArrayList<>();

    @Option(names = "--show-failures", paramLabel = "N", defaultValue = "10",
            description = "How many failed records to list. Default: ${DEFAULT-VALUE}.")
    int showFailures;

    @Option(names = "--name", paramLabel = "NAME", description = "The job's name. Default: import FILE's name.")
    String name;

    private ImportOptions options;

    @Override
    void validate() {
        requireReadable(file);
        try {
            ImportType type = importType == null ? null : switch (importType.strip().toLowerCase(Locale.ROOT)) {
                case "ignore" -> ImportType.IGNORE;
                case "update" -> ImportType.UPDATE;
                case "replace" -> ImportType.REPLACE;
                default -> throw usage("--import-type is ignore, update or replace, was '" + importType + "'");
            };
            List<Map<String, Object>> maps = new ArrayList<>();
            for (String mapping : mappings) {
                int eq = mapping.indexOf('=');
                if (eq < 1 || eq == mapping.length() - 1) {
                    throw usage("--map takes FIELD=COLUMN, was '" + mapping + "'");
                }
                String column = mapping.substring(eq + 1).strip();
                maps.add(Map.of(mapping.substring(0, eq).strip(),
                        column.matches("\\d{1,9}") ? (Object) Integer.valueOf(column) : column));
            }
            String sep = separator == null ? null : separator.equalsIgnoreCase("tab") ? "\t" : separator;
            options = new ImportOptions(dataset, type, errorThreshold,
                    new ImportOptions.Source(headers, sep, maps, null));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    @Override
    int run(SluiceClient client) {
        Job job = client.createJob(CreateJob.importInto(name != null ? name : "import " + file.getFileName(), options));
        Batch batch = process(client, job, file);
        boolean completed = completed(batch);
        RecordCounts r = batch.records();
        Report report = new Report(out(), interactive());
        if (interactive()) {
            report.rows("outcome", List.of("outcome", "records"), List.of(
                    List.of("completed", String.format("%,d", r.completed())),
                    List.of("failed", String.format("%,d", r.failed())),
                    List.of("ignored", String.format("%,d", r.ignored())),
                    List.of("total", String.format("%,d", r.total()))));
        } else {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("job", batch.jobId());
            fields.put("batch", batch.id());
            fields.put("status", batch.status() == null ? "unknown" : batch.status().name().toLowerCase(Locale.ROOT));
            fields.put("dataset", dataset);
            fields.put("total", Long.toString(r.total()));
            fields.put("completed", Long.toString(r.completed()));
            fields.put("failed", Long.toString(r.failed()));
            fields.put("ignored", Long.toString(r.ignored()));
            report.fields("result", fields);
        }
        if (r.failed() > 0 && showFailures > 0 && completed) {
            List<Outcome> failed = client.outcomes(job.id(), batch.id(), "failed", null, Math.min(showFailures, 1000)).items();
            report.note("");
            report.rows("failed", List.of("index", "error"),
                    failed.stream().map(o -> List.of(Long.toString(o.index()), o.error() == null ? "" : o.error())).toList());
        }
        return completed ? SluiceCommand.OK : SluiceCommand.FAILURE;
    }
}
