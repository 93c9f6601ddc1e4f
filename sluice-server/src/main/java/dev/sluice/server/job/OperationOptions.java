package dev.sluice.server.job;

import java.util.Optional;

/**
 * The typed options of one operation's job, parsed and checked once when the job is created
 * ({@link OperationPlugin#parse}) and read back from the stored JSON by the worker once per task
 * ({@link OperationPlugin#read}), which hands them to every step of that task.
 */
public interface OperationOptions {

    /**
     * The {@code source.uri} the job's first batch is fetched from (its password sealed by {@code UriPasswords}
     * once stored); empty when the job takes its files by upload.
     */
    default Optional<String> sourceUri() {
        return Optional.empty();
    }
}
