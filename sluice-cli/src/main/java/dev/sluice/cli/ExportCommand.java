package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.sluice.client.Batch;
import dev.sluice.client.CreateJob;
import dev.sluice.client.ExportOptions;
import dev.sluice.client.Job;
import dev.sluice.client.OutputFormat;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice export --dataset D}: a dataset (or a job's results) written to a file. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Export a dataset, or the results of a finished job, as CSV, JSON, NDJSON or XML.",
                "The server produces a zip (also placed in the account's SFTP drop); -o FILE.zip keeps it as it is, "
                        + "any other -o gets the file inside it. CSV cells that spreadsheets would run as formulas "
                        + "get a leading '."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice export --dataset people -o people.csv",
                "  sluice export --dataset people --fields email,zip --filter zip=12345 --format ndjson",
                "  sluice export --job job_01... --format xml -o results.zip",
                "",
                "Exit codes: 0 the export completed, 1 it failed (or the server refused), 2 usage error."})
final class ExportCommand extends FileJobCommand {

    static final class Source {
        @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "The dataset to export.")
        String dataset;

        @Option(names = "--job", paramLabel = "JOB", required = true, description = "A finished job whose results to export.")
        String jobId;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--fields", paramLabel = "COLUMN", split = ",",
            description = "Columns to write, in this order (dataset exports). Default: all.")
    List<String> fields;

    @Option(names = "--filter", paramLabel = "COLUMN=VALUE",
            description = "Only records whose COLUMN equals VALUE (dataset exports). Repeatable; all must hold.")
    Map<String, String> filter = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "csv, json, ndjson or xml. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Where to write: a .zip keeps the server's zip, anything else gets the file inside it. "
                    + "Default: the file's own name (e.g. export-people.csv) in the current directory.")
    Path output;

    @Option(names = "--name", paramLabel = "NAME", description = "The job's name. Default: export and the source.")
    String name;

    private OutputFormat outputFormat;
    private ExportOptions options;

    @Override
    void validate() {
        outputFormat = switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> OutputFormat.CSV;
            case "json" -> OutputFormat.JSON;
            case "ndjson" -> OutputFormat.NDJSON;
            case "xml" -> OutputFormat.XML;
            default -> throw usage("--format is csv, json, ndjson or xml, was '" + format + "'");
        };
        if (source.jobId != null) {
            if (fields != null || !filter.isEmpty()) {
                throw usage("--fields and --filter apply to a dataset export, not to --job");
            }
            options = ExportOptions.jobResults(source.jobId);
        } else {
            options = ExportOptions.dataset(source.dataset).withFields(fields).withFilter(new LinkedHashMap<>(filter));
        }
    }

    @Override
    int run(SluiceClient client) throws IOException {
        String label = source.dataset != null ? source.dataset : source.jobId;
        Job job = client.createJob(CreateJob.export(name != null ? name : "export " + label, options, outputFormat));
        List<Batch> batches = client.batches(job.id());
        if (batches.isEmpty()) {
            status("the server started no batch for export job %s", job.id());
            return SluiceCommand.FAILURE;
        }
        Batch batch = await(client, job.id(), batches.getFirst().id());
        if (!completed(batch)) {
            return SluiceCommand.FAILURE;
        }
        String url = client.result(job.id(), batch.id()).downloadUrl();
        Path target = write(client, url);
        Report report = new Report(out(), interactive());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", job.id());
        fields.put("batch", batch.id());
        fields.put("status", "completed");
        fields.put("records", Long.toString(batch.records().completed()));
        fields.put("format", outputFormat.wire());
        fields.put("output", target.toAbsolutePath().toString());
        report.fields("result", fields);
        return SluiceCommand.OK;
    }

    /** Writes the zip, or the one file in it, and answers where. */
    private Path write(SluiceClient client, String url) throws IOException {
        if (output != null && output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            client.download(url, output);
            return output;
        }
        try (ZipInputStream zip = new ZipInputStream(client.openDownload(url))) {
            ZipEntry entry = zip.getNextEntry();
            if (entry == null) {
                throw new IOException("the export's zip is empty");
            }
            Path target = output != null ? output : Path.of(Path.of(entry.getName()).getFileName().toString());
            copy(zip, target);
            return target;
        }
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, ".sluice-export-", ".part");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
