package dev.sluice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.sluice.client.Batch;
import dev.sluice.client.BatchFile;
import dev.sluice.client.BatchStatus;
import dev.sluice.client.Job;
import dev.sluice.client.SluiceClient;

/** A command that sends one file through a job, waits for it with progress, and reports how it ended. */
abstract class FileJobCommand extends ClientCommand {

    /** Uploads {@code file} as a new batch of {@code job} (streamed) and waits until the batch is final. */
    Batch process(SluiceClient client, Job job, Path file) {
        BatchFile batchFile = client.createBatchFile(job.id());
        status("uploading %s to job %s, batch %s", file, job.id(), batchFile.id());
        client.upload(batchFile.uploadUrl(), file);
        return await(client, job.id(), batchFile.id());
    }

    /** Waits for the batch with a progress display. */
    Batch await(SluiceClient client, String jobId, String batchId) {
        Progress progress = progress(spec.name());
        try {
            return client.waitForBatch(jobId, batchId, timeout, progress::update);
        } finally {
            progress.finish();
        }
    }

    /** Checks that the input exists before any server is started or contacted. */
    void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw usage("cannot read " + file + ": no such file");
        }
    }

    /** True when the batch completed; otherwise says why on stderr. */
    boolean completed(Batch batch) {
        if (batch.status() == BatchStatus.COMPLETED) {
            return true;
        }
        String status = batch.status() == null ? "unknown" : batch.status().name().toLowerCase(Locale.ROOT);
        String reason = batch.error() == null ? "" : ": " + batch.error().code() + ": " + batch.error().message();
        status("batch %s of job %s ended %s%s", batch.id(), batch.jobId(), status, reason);
        return false;
    }

    /** {@code dir/name-suffix.ext} next to {@code input}, e.g. {@code list-verified.csv}. */
    static Path besides(Path input, String suffix, String extension) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path parent = input.toAbsolutePath().getParent();
        return parent.resolve(stem + "-" + suffix + "." + extension);
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "0.0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
