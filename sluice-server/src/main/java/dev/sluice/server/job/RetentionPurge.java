package dev.sluice.server.job;

import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes files past their retention: a completed batch's result, the chunk inputs and parts any batch
 * may have left, and what a producer placed elsewhere ({@link OutputProducer#expired}: an export's copy in the
 * SFTP drop); and the per-record rows its operation keeps
 * ({@link ChunkProcessor#forget}); then marks the batch purged. The row, its status
 * and counters stay, and the result and outcomes endpoints answer 410 {@code gone}.
 *
 * <p>Run by the recurring task {@value #TASK} every {@code sluice.job.purge-interval}; db-scheduler runs a
 * recurring task on one node at a time. Each batch is purged by deleting first and marking after, so a
 * run that dies between the two deletes again next time (deleting what is gone is a no-op), and two runs
 * racing both delete and one marks: repeatable and safe on several nodes. Input files are not touched.
 */
@Component
public class RetentionPurge {

    /** The recurring task's name. */
    public static final String TASK = "retention-purge";

    /** Batches looked at per query; a run loops until none is left. */
    static final int PAGE = 200;

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final RetentionStore store;
    private final BatchStore batches;
    private final BlobStorage storage;
    private final Operations operations;
    private final Clock clock;

    RetentionPurge(RetentionStore store, BatchStore batches, BlobStorage storage, Operations operations, Clock clock) {
        this.store = store;
        this.batches = batches;
        this.storage = storage;
        this.operations = operations;
        this.clock = clock;
    }

    /** Purges everything expired now; answers how many batches this run marked purged. */
    public int purgeExpired() throws IOException {
        Instant now = clock.instant();
        int purged = 0;
        while (true) {
            List<RetentionStore.Expired> page = store.expired(now, PAGE);
            int marked = 0;
            for (RetentionStore.Expired batch : page) {
                deleteFiles(batch);
                if (store.markPurged(batch.batchId(), clock.instant())) {
                    marked++;
                    log.info("files purged: batch={}", batch.batchId());
                }
            }
            purged += marked;
            // a page where another node marked every batch first still ends the loop: nothing is left to us
            if (page.size() < PAGE || marked == 0) {
                return purged;
            }
        }
    }

    private void deleteFiles(RetentionStore.Expired expired) throws IOException {
        Batch batch = batches.findById(expired.batchId()).orElse(null);
        if (batch == null) {
            return;
        }
        if (batch.resultName() != null) {
            storage.delete(BlobKeys.result(batch));
            storage.deleteTree(BlobKeys.filtered(batch));
            Optional<OutputProducer<?>> producer = operations.producer(expired.operation());
            if (producer.isPresent()) {
                producer.get().expired(batch);
            }
        }
        storage.deleteTree(BlobKeys.chunks(batch));
        storage.deleteTree(BlobKeys.parts(batch));
        operations.processor(expired.operation()).ifPresent(processor -> processor.forget(batch));
    }
}
