package dev.sluice.server.verify;

import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Reads the SMTP transcripts a verify job kept ({@code "transcripts": true}) for the API: whether the job keeps
 * them, and one address's transcript in one of its batches. The caller has already found the job and batch in
 * the caller's account.
 */
@Component
public class TranscriptReader {

    private final TranscriptStore store;

    TranscriptReader(TranscriptStore store) {
        this.store = store;
    }

    /** Whether {@code job} is a verify job created with {@code "transcripts": true}. */
    public boolean keeps(Job job) {
        if (job.operation() != Operation.VERIFY) {
            return false;
        }
        try {
            return VerifyOptions.parse(job.options()).transcripts();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The transcript of {@code email} in {@code batch} of {@code job}; empty when the batch holds no such address. */
    public Optional<Transcript> find(Job job, Batch batch, String email) {
        return store.find(job.id(), batch.id(), email.strip());
    }
}
