package dev.sluice.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.client.AppendOptions;
import dev.sluice.client.Batch;
import dev.sluice.client.CreateJob;
import dev.sluice.client.Job;
import dev.sluice.client.OutputFormat;
import dev.sluice.client.RecordCounts;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice append FILE --dataset D --match ... --fields ...}: dataset fields added to a file's records. */
@Command(
        name = "append",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Add dataset fields (an email, say) to the records of a file, matching them to the dataset on the "
                        + "--match columns (exactly, or after normalising case, spacing, punctuation, postal "
                        + "abbreviations and ZIP+4).",
                "The result keeps every input column and row and adds the fields and sluice_match "
                        + "(exact, normalized, none)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice append contacts.csv --dataset people --match first_name,last_name,zip --fields email",
                "  sluice append contacts.csv --dataset people --match last_name,zip --match-map surname=last_name "
                        + "--fields email,phone -o enriched.csv",
                "",
                "Exit codes: 0 the batch completed, 1 it failed or was malformed (or the server refused), 2 usage error."})
final class AppendCommand extends FileJobCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The file whose records get the fields.")
    Path file;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "The dataset to append from.")
    String dataset;

    @Option(names = "--match", paramLabel = "COLUMN", split = ",", required = true,
            description = "Dataset columns to match on; the file has columns of the same names unless --match-map says otherwise.")
    List<String> match;

    @Option(names = "--fields", paramLabel = "COLUMN", split = ",", required = true,
            description = "Dataset columns to add to each record.")
    List<String> fields;

    @Option(names = "--match-map", paramLabel = "INPUT=COLUMN",
            description = "The file's INPUT column holds the dataset's match COLUMN. Repeatable.")
    Map<String, String> matchMap = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Where to write the result. Default: FILE's name with -appended, next to it.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "Result format: csv, json or ndjson. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--name", paramLabel = "NAME", description = "The job's name. Default: append FILE's name.")
    String name;

    private OutputFormat outputFormat;
    private AppendOptions options;

    @Override
    void validate() {
        requireReadable(file);
        outputFormat = switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> OutputFormat.CSV;
            case "json" -> OutputFormat.JSON;
            case "ndjson" -> OutputFormat.NDJSON;
            default -> throw usage("--format is csv, json or ndjson, was '" + format + "'");
        };
        try {
            options = AppendOptions.of(dataset, match, fields).withMatchMap(matchMap);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    @Override
    int run(SluiceClient client) {
        Job job = client.createJob(CreateJob.append(name != null ? name : "append " + file.getFileName(), options,
                outputFormat));
        Batch batch = process(client, job, file);
        if (!completed(batch)) {
            return SluiceCommand.FAILURE;
        }
        Path target = output != null ? output : besides(file, "appended", outputFormat.wire());
        client.download(client.result(job.id(), batch.id()).downloadUrl(), target);
        RecordCounts r = batch.records();
        Report report = new Report(out(), interactive());
        if (interactive()) {
            report.rows("match", List.of("records", "count", "share"), List.of(
                    List.of("matched", String.format("%,d", r.completed()), percent(r.completed(), r.processed())),
                    List.of("not matched", String.format("%,d", r.ignored()), percent(r.ignored(), r.processed())),
                    List.of("total", String.format("%,d", r.processed()), "")));
            report.note("");
            report.note("wrote " + target);
        } else {
            Map<String, String> result = new LinkedHashMap<>();
            result.put("job", batch.jobId());
            result.put("batch", batch.id());
            result.put("status", "completed");
            result.put("total", Long.toString(r.processed()));
            result.put("matched", Long.toString(r.completed()));
            result.put("unmatched", Long.toString(r.ignored()));
            result.put("output", target.toAbsolutePath().toString());
            report.fields("result", result);
        }
        return SluiceCommand.OK;
    }
}
