package dev.sluice.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.sluice.client.Batch;
import dev.sluice.client.Event;
import dev.sluice.client.Job;
import dev.sluice.client.Page;
import dev.sluice.client.SluiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice jobs ...}: the account's jobs. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "List, show, cancel and delete jobs.",
        subcommands = {JobsCommand.List.class, JobsCommand.Show.class, JobsCommand.Events.class,
                JobsCommand.Cancel.class, JobsCommand.Delete.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  sluice jobs list",
                "  sluice jobs list --status cancelled --limit 20 --plain",
                "  sluice jobs show job_01...",
                "  sluice jobs cancel job_01...",
                "  sluice jobs delete job_01... --server http://sluice.internal:8080"})
final class JobsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return SluiceCommand.USAGE;
    }

    static String time(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                .withZone(ZoneId.systemDefault()).format(instant);
    }

    static Map<String, String> fields(Job job) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", job.id());
        f.put("name", job.name());
        f.put("operation", job.operation() == null ? "" : job.operation().name().toLowerCase(Locale.ROOT));
        f.put("status", job.status());
        f.put("state", job.state());
        f.put("output_format", job.outputFormat() == null ? "" : job.outputFormat().wire());
        if (job.options() != null && !job.options().isEmpty()) {
            f.put("options", job.options().toString());
        }
        f.put("records_total", Long.toString(job.records().total()));
        f.put("records_done", Long.toString(job.records().processed()));
        f.put("progress", String.format(Locale.ROOT, "%.1f%%", job.progress()));
        f.put("created", time(job.createdAt()));
        return f;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The account's jobs, newest first.",
            footerHeading = "%nExamples:%n", footer = {"  sluice jobs list", "  sluice jobs list --status open --limit 5"})
    static final class List extends ClientCommand {

        @Option(names = "--status", paramLabel = "STATUS", description = "Only open or cancelled jobs.")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "Most jobs to show. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override
        void validate() {
            if (limit < 1) {
                throw usage("--limit must be at least 1");
            }
        }

        @Override
        int run(SluiceClient client) {
            java.util.List<Job> jobs = new ArrayList<>();
            String cursor = null;
            do {
                Page<Job> page = client.jobs(status, cursor, Math.min(200, limit - jobs.size()));
                jobs.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null && jobs.size() < limit);
            new Report(out(), interactive()).rows("job",
                    java.util.List.of("id", "operation", "state", "done", "total", "created", "name"),
                    jobs.stream().map(j -> java.util.List.of(j.id(),
                            j.operation() == null ? "" : j.operation().name().toLowerCase(Locale.ROOT), j.state(),
                            Long.toString(j.records().processed()), Long.toString(j.records().total()),
                            time(j.createdAt()), j.name())).toList());
            return SluiceCommand.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One job with its batches.",
            footerHeading = "%nExamples:%n", footer = "  sluice jobs show job_01...")
    static final class Show extends ClientCommand {

        @Parameters(index = "0", paramLabel = "JOB")
        String jobId;

        @Override
        int run(SluiceClient client) {
            Job job = client.job(jobId);
            java.util.List<Batch> batches = client.batches(jobId);
            Report report = new Report(out(), interactive());
            report.fields("job", fields(job));
            report.note("");
            report.rows("batch", java.util.List.of("batch", "status", "source", "done", "total", "error"),
                    batches.stream().map(b -> java.util.List.of(b.id(),
                            b.status() == null ? "" : b.status().name().toLowerCase(Locale.ROOT),
                            b.source() == null ? "" : b.source(),
                            Long.toString(b.records().processed()), Long.toString(b.records().total()),
                            b.error() == null ? "" : b.error().code() + ": " + b.error().message())).toList());
            return SluiceCommand.OK;
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "A job's log, oldest first.",
            footerHeading = "%nExamples:%n", footer = "  sluice jobs events job_01...")
    static final class Events extends ClientCommand {

        @Parameters(index = "0", paramLabel = "JOB")
        String jobId;

        @Override
        int run(SluiceClient client) {
            java.util.List<Event> events = new ArrayList<>();
            String cursor = null;
            do {
                Page<Event> page = client.events(jobId, cursor, 200);
                events.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null);
            new Report(out(), interactive()).rows("event", java.util.List.of("at", "type", "batch", "message"),
                    events.stream().map(e -> java.util.List.of(time(e.at()), e.type(),
                            e.batchId() == null ? "" : e.batchId(), e.message() == null ? "" : e.message())).toList());
            return SluiceCommand.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a job and its unfinished batches (finished results stay).",
            footerHeading = "%nExamples:%n", footer = "  sluice jobs cancel job_01...")
    static final class Cancel extends ClientCommand {

        @Parameters(index = "0", paramLabel = "JOB")
        String jobId;

        @Override
        int run(SluiceClient client) {
            Job job = client.cancelJob(jobId);
            new Report(out(), interactive()).fields("cancelled", Map.of("id", job.id(), "status", job.status()));
            return SluiceCommand.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a job with its batches, events and files.",
            footerHeading = "%nExamples:%n", footer = "  sluice jobs delete job_01...")
    static final class Delete extends ClientCommand {

        @Parameters(index = "0", paramLabel = "JOB")
        String jobId;

        @Override
        int run(SluiceClient client) {
            client.deleteJob(jobId);
            new Report(out(), interactive()).fields("deleted", Map.of("id", jobId));
            return SluiceCommand.OK;
        }
    }
}
