package dev.sluice.client;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /api/v1/jobs}. Start from {@link #verify}, {@link #importInto}, {@link #append} or
 * {@link #export}, then add a notification or a retention with the {@code with...} methods.
 *
 * @param name           a label for people; need not be unique
 * @param operation      what every batch of the job does
 * @param outputFormat   format of the result files
 * @param options        the operation's options; null for a verify job with the server's defaults
 * @param notification   where to announce finished batches; null for none
 * @param retentionHours how long results are kept (1 to 8760); null for the server's default (72)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateJob(String name, Operation operation, OutputFormat outputFormat, JobOptions options,
        Notification notification, Integer retentionHours) {

    public CreateJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outputFormat, "outputFormat");
        if (options != null && options.operation() != operation) {
            throw new IllegalArgumentException(options.getClass().getSimpleName() + " are options of "
                    + options.operation() + ", not of " + operation);
        }
    }

    /** A job without options, a notification or its own retention. */
    public CreateJob(String name, Operation operation, OutputFormat outputFormat) {
        this(name, operation, outputFormat, null, null, null);
    }

    /** A verify job whose results come as {@code format}. */
    public static CreateJob verify(String name, OutputFormat format) {
        return new CreateJob(name, Operation.VERIFY, format);
    }

    /**
     * An estimate job: each batch runs every verify check but SMTP and completes with an {@link Estimate}
     * ({@link Batch#estimate()}), what a verify of the same file would find, cost and take.
     */
    public static CreateJob estimate(String name) {
        return new CreateJob(name, Operation.ESTIMATE, OutputFormat.CSV);
    }

    /** A verify job with options (transcripts, formula escaping) whose results come as {@code format}. */
    public static CreateJob verify(String name, VerifyOptions options, OutputFormat format) {
        return new CreateJob(name, Operation.VERIFY, format, Objects.requireNonNull(options, "options"), null, null);
    }

    /** An import job loading its batches into a dataset. */
    public static CreateJob importInto(String name, ImportOptions options) {
        return new CreateJob(name, Operation.IMPORT, OutputFormat.CSV, Objects.requireNonNull(options, "options"),
                null, null);
    }

    /** An append job adding dataset fields to its batches' records; results come as {@code format}. */
    public static CreateJob append(String name, AppendOptions options, OutputFormat format) {
        return new CreateJob(name, Operation.APPEND, format, Objects.requireNonNull(options, "options"), null, null);
    }

    /** An export job; the server starts its one batch at once, and its result is a zip of one {@code format} file. */
    public static CreateJob export(String name, ExportOptions options, OutputFormat format) {
        return new CreateJob(name, Operation.EXPORT, format, Objects.requireNonNull(options, "options"), null, null);
    }

    /** This job, announcing its finished batches to {@code notification}. */
    public CreateJob withNotification(Notification notification) {
        return new CreateJob(name, operation, outputFormat, options, notification, retentionHours);
    }

    /** This job, keeping its results for {@code hours} instead of the server's default. */
    public CreateJob withRetentionHours(int hours) {
        return new CreateJob(name, operation, outputFormat, options, notification, hours);
    }
}
