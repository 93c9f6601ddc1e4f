package dev.sluice.client;

import java.util.Objects;

/**
 * Body of {@code POST /api/v1/jobs}.
 *
 * @param name         a label for people; need not be unique
 * @param operation    what every batch of the job does
 * @param outputFormat format of the result files
 */
public record CreateJob(String name, Operation operation, OutputFormat outputFormat) {

    public CreateJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outputFormat, "outputFormat");
    }

    /** A verify job whose results come as {@code format}. */
    public static CreateJob verify(String name, OutputFormat format) {
        return new CreateJob(name, Operation.VERIFY, format);
    }
}
