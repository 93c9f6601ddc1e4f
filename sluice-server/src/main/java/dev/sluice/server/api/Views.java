package dev.sluice.server.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.sluice.server.account.IssuedKey;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Event;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobState;
import dev.sluice.server.job.Notification;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.store.UriPasswords;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the native API (snake_case on the wire). */
final class Views {

    private Views() {
    }

    record Records(long total, long processed, long valid, long invalid, long acceptAll, long unknown, long completed,
            long failed, long ignored,
            @Schema(description = "Records put aside for a later attempt (verify: a mail server answered \"try again"
                    + " later\"); not processed yet, so the batch stays in_progress until none is left")
            long deferred, long duplicates) {
        static Records of(RecordCounts c) {
            return new Records(c.total(), c.processed(), c.valid(), c.invalid(), c.acceptAll(), c.unknown(),
                    c.completed(), c.failed(), c.ignored(), c.deferred(), c.duplicates());
        }
    }

    record JobView(String id, String name, String operation, Map<String, Object> options, String status, String state,
            String outputFormat, Notification notification, int retentionHours, Map<String, Long> batches, Records records,
            double progress, Instant createdAt, Instant updatedAt,
            @Schema(description = "When the next later attempt of a deferred record of the job is due; null when"
                    + " none is deferred")
            Instant nextRetryAt) {

        static JobView of(Job job, Map<BatchStatus, Long> batchCounts, JobState state, Instant nextRetryAt) {
            Map<String, Long> batches = new LinkedHashMap<>();
            for (BatchStatus status : BatchStatus.values()) {
                batches.put(status.wire(), batchCounts.getOrDefault(status, 0L));
            }
            // URI passwords (source.uri in the options, the notification URL) are shown as user:***@
            @SuppressWarnings("unchecked")
            Map<String, Object> options = (Map<String, Object>) UriPasswords.maskAll(job.options());
            Notification notification = job.notification() == null ? null
                    : new Notification(UriPasswords.mask(job.notification().url()), job.notification().method());
            return new JobView(job.id(), job.name(), job.operation().wire(), options, job.status().wire(), state.wire(),
                    job.outputFormat().wire(), notification, job.retentionHours(), batches,
                    Records.of(job.records()), job.records().progress(), job.createdAt(), job.updatedAt(),
                    nextRetryAt);
        }
    }

    record FileView(String name, Long sizeBytes, String sha256) {
    }

    record ErrorView(String code, String message) {
    }

    record ChunksView(int total, int done) {
    }

    record BatchView(String id, String jobId, String status, String source, String sourceUri, String uploadUrl,
            Instant uploadExpiresAt,
            FileView file, Records records, double progress, ChunksView chunks, ErrorView error,
            String resultFormat, Instant resultExpiresAt, Instant createdAt, Instant updatedAt, Instant startedAt,
            Instant completedAt,
            @Schema(description = "When the next later attempt of a deferred record of the batch is due; null when"
                    + " none is deferred")
            Instant nextRetryAt,
            @Schema(type = "object", description = "an estimate batch's quote once it completed (README: Estimate"
                    + " before spending); null for other batches") @JsonRawValue String estimate) {

        static BatchView of(Batch b, String uploadUrl) {
            return of(b, uploadUrl, null);
        }

        static BatchView of(Batch b, String uploadUrl, Instant nextRetryAt) {
            FileView file = b.sizeBytes() == null ? null : new FileView(b.fileName(), b.sizeBytes(), b.sha256());
            ErrorView error = b.errorCode() == null ? null : new ErrorView(b.errorCode(), UriPasswords.mask(b.errorMessage()));
            return new BatchView(b.id(), b.jobId(), b.status().wire(), b.source().wire(), UriPasswords.mask(b.sourceUri()), uploadUrl,
                    uploadUrl == null ? null : b.uploadExpiresAt(), file, Records.of(b.records()),
                    b.records().progress(), new ChunksView(b.chunksTotal(), b.chunksDone()), error,
                    b.resultFormat() == null ? null : b.resultFormat().wire(), b.resultExpiresAt(), b.createdAt(),
                    b.updatedAt(), b.startedAt(), b.completedAt(), nextRetryAt, b.estimate());
        }
    }

    record ResultView(String downloadUrl, Instant expiresAt, String format, long records) {
    }

    record EventView(long id, String type, String batchId, String message, Instant at) {
        static EventView of(Event e) {
            return new EventView(e.id(), e.type(), e.batchId(), UriPasswords.mask(e.message()), e.at());
        }
    }

    record Page<T>(List<T> items, String nextCursor) {
    }

    record KeyView(String id, String kind, String key, Instant createdAt) {
        static KeyView of(IssuedKey key) {
            return new KeyView(key.id(), key.kind().wire(), key.key(), key.createdAt());
        }
    }

    /** A key shown again later: never its secret, only the prefix a person recognises it by. */
    record KeyInfoView(String id, String kind, String prefix, Instant createdAt) {
        static KeyInfoView of(dev.sluice.server.account.KeyInfo key) {
            return new KeyInfoView(key.id(), key.kind().wire(), key.prefix(), key.createdAt());
        }
    }

    record AccountView(String id, String name, boolean admin, Instant createdAt, KeyView apiKey) {
    }

    /** An account as it reads itself: with the storage it keeps and its quota (null: none). */
    record AccountDetailView(String id, String name, boolean admin, Instant createdAt, StorageView storage) {
    }

    /** Bytes of blobs (uploads, their chunks and parts, results) the account keeps, and its quota. */
    record StorageView(long usedBytes, Long quotaBytes) {
    }
}
