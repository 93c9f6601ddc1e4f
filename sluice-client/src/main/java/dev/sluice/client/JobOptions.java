package dev.sluice.client;

/** The options of a job's operation, as sent in {@code options} of {@code POST /api/v1/jobs}. */
public sealed interface JobOptions permits VerifyOptions, ImportOptions, AppendOptions, ExportOptions {

    /** The operation these options are for. */
    Operation operation();
}
