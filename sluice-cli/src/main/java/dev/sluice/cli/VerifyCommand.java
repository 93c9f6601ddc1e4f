package dev.sluice.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.client.Batch;
import dev.sluice.client.CreateJob;
import dev.sluice.client.Estimate;
import dev.sluice.client.Job;
import dev.sluice.client.OutputFormat;
import dev.sluice.client.RecordCounts;
import dev.sluice.client.Result;
import dev.sluice.client.ResultFilter;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice verify FILE}: every address of a list verified, the result written next to it or to -o. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Verify every email address of a CSV/TSV file and write the file back with a verdict per row "
                        + "(valid, invalid, accept_all, unknown), a reason and flags.",
                "Runs Sluice in this process on --data unless --server (or SLUICE_SERVER) names one.",
                "Any other --some.property=value is a setting of the in-process server."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice verify list.csv -o checked.csv",
                "  sluice verify list.csv --format ndjson --offline",
                "  sluice verify list.csv --only valid,accept_all -o mailable.csv",
                "  sluice verify list.csv --server http://sluice.internal:8080 --api-key $KEY",
                "  sluice verify list.csv --sluice.verify.smtp.enabled=false",
                "  sluice verify --estimate list.csv",
                "",
                "Exit codes: 0 the batch completed, 1 it failed or was malformed (or the server refused), 2 usage error."})
final class VerifyCommand extends FileJobCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The list: CSV or TSV with an email column.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Where to write the result. Default: FILE's name with -verified, next to it.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "Result format: csv, json or ndjson. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--name", paramLabel = "NAME", description = "The job's name. Default: verify FILE's name.")
    String name;

    @Option(names = "--estimate", description = "Only quote the verify: every check but SMTP (syntax, lists, "
            + "duplicates, account rules, cache, DNS); print records, distinct addresses, already invalid, cached, "
            + "addresses needing SMTP by provider, credits and ETA. Writes no file.")
    boolean estimate;

    @Option(names = "--only", paramLabel = "STATUSES", split = ",",
            description = "Write only the rows of these verdicts (valid, invalid, accept_all, unknown), "
                    + "e.g. --only valid,accept_all. Default: every row.")
    List<String> only;

    private static final List<String> STATUSES = List.of("valid", "invalid", "accept_all", "unknown");

    private OutputFormat outputFormat;

    @Override
    void validate() {
        requireReadable(file);
        outputFormat = switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> OutputFormat.CSV;
            case "json" -> OutputFormat.JSON;
            case "ndjson" -> OutputFormat.NDJSON;
            default -> throw usage("--format is csv, json or ndjson, was '" + format + "'");
        };
        if (estimate && only != null) {
            throw usage("--estimate writes no rows, so it takes no --only");
        }
        if (only != null) {
            only = only.stream().map(status -> status.strip().toLowerCase(java.util.Locale.ROOT)).toList();
            for (String status : only) {
                if (!STATUSES.contains(status)) {
                    throw usage("--only takes " + String.join(", ", STATUSES) + "; '" + status + "' is none of them");
                }
            }
        }
    }

    @Override
    int run(SluiceClient client) {
        if (estimate) {
            return estimate(client);
        }
        Job job = client.createJob(CreateJob.verify(name != null ? name : "verify " + file.getFileName(), outputFormat));
        Batch batch = process(client, job, file);
        if (!completed(batch)) {
            return SluiceCommand.FAILURE;
        }
        Path target = output != null ? output : besides(file, "verified", outputFormat.wire());
        // --only downloads the server's filtered copy: the rows are never filtered here
        Result result = only == null ? client.result(job.id(), batch.id())
                : client.result(job.id(), batch.id(), new ResultFilter(only, null));
        client.download(result.downloadUrl(), target);
        report(batch, target, result.records());
        return SluiceCommand.OK;
    }

    private int estimate(SluiceClient client) {
        Job job = client.createJob(CreateJob.estimate(name != null ? name : "estimate " + file.getFileName()));
        Batch batch = process(client, job, file);
        if (!completed(batch)) {
            return SluiceCommand.FAILURE;
        }
        Estimate e = batch.estimate();
        Report report = new Report(out(), interactive());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", batch.jobId());
        fields.put("batch", batch.id());
        fields.put("records", Long.toString(e.records()));
        fields.put("distinct", Long.toString(e.distinct()));
        fields.put("duplicates", Long.toString(e.duplicates()));
        fields.put("already_invalid", Long.toString(e.alreadyInvalid()));
        fields.put("cached", Long.toString(e.cached()));
        fields.put("decided_by_rules", Long.toString(e.decidedByRules()));
        fields.put("need_smtp", Long.toString(e.needSmtp()));
        e.needSmtpByProvider().forEach((provider, n) -> fields.put("need_smtp." + provider, Long.toString(n)));
        fields.put("credits", Long.toString(e.credits()));
        fields.put("eta_seconds", Long.toString(e.etaSeconds()));
        report.fields("estimate", fields);
        return SluiceCommand.OK;
    }

    private void report(Batch batch, Path target, long written) {
        RecordCounts r = batch.records();
        Report report = new Report(out(), interactive());
        if (interactive()) {
            report.rows("verdict", List.of("verdict", "records", "share"), List.of(
                    List.of("valid", String.format("%,d", r.valid()), percent(r.valid(), r.processed())),
                    List.of("invalid", String.format("%,d", r.invalid()), percent(r.invalid(), r.processed())),
                    List.of("accept_all", String.format("%,d", r.acceptAll()), percent(r.acceptAll(), r.processed())),
                    List.of("unknown", String.format("%,d", r.unknown()), percent(r.unknown(), r.processed())),
                    List.of("total", String.format("%,d", r.processed()), "")));
            if (r.duplicates() > 0) {
                report.note(String.format("%,d repeated addresses were verified once and given their first "
                        + "copy's verdict (sluice_duplicate_of)", r.duplicates()));
            }
            report.note("");
            report.note(only == null ? "wrote " + target
                    : String.format("wrote %,d %s rows to %s", written, String.join(", ", only), target));
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", batch.jobId());
        fields.put("batch", batch.id());
        fields.put("status", "completed");
        fields.put("total", Long.toString(r.processed()));
        fields.put("valid", Long.toString(r.valid()));
        fields.put("invalid", Long.toString(r.invalid()));
        fields.put("accept_all", Long.toString(r.acceptAll()));
        fields.put("unknown", Long.toString(r.unknown()));
        fields.put("duplicates", Long.toString(r.duplicates()));
        fields.put("output", target.toAbsolutePath().toString());
        if (only != null) {
            fields.put("only", String.join(",", only));
            fields.put("written", Long.toString(written));
        }
        report.fields("result", fields);
    }
}
