package dev.sluice.server.compat.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.job.BatchStatus;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every native batch status, with and without the download mark, has exactly one of the seed's words. */
class EmailBatchStatusTest {

    private static final Map<BatchStatus, EmailBatchStatus> NOT_DOWNLOADED = new EnumMap<>(Map.of(
            BatchStatus.WAITING_FOR_UPLOAD, EmailBatchStatus.PENDING,
            BatchStatus.QUEUED, EmailBatchStatus.PENDING,
            BatchStatus.LOADING, EmailBatchStatus.LOADING,
            BatchStatus.IN_PROGRESS, EmailBatchStatus.VERIFYING,
            BatchStatus.COMPLETED, EmailBatchStatus.COMPLETE,
            BatchStatus.MALFORMED, EmailBatchStatus.FILE_ERROR,
            BatchStatus.FAILED, EmailBatchStatus.FILE_ERROR,
            BatchStatus.CANCELLED, EmailBatchStatus.FILE_ERROR));

    @Test
    void every_native_status_maps_to_the_seed_word_and_only_completed_becomes_downloaded() {
        assertThat(NOT_DOWNLOADED.keySet()).containsExactlyInAnyOrder(BatchStatus.values());
        for (BatchStatus status : BatchStatus.values()) {
            // given / when / then: without the mark, the table
            assertThat(EmailBatchStatus.of(status, false)).as(status.wire()).isEqualTo(NOT_DOWNLOADED.get(status));
            // and with it, downloaded for a completed batch only
            EmailBatchStatus marked = status == BatchStatus.COMPLETED ? EmailBatchStatus.DOWNLOADED : NOT_DOWNLOADED.get(status);
            assertThat(EmailBatchStatus.of(status, true)).as(status.wire() + " downloaded").isEqualTo(marked);
        }
    }

    @Test
    void wire_words_are_the_seeds() {
        assertThat(java.util.Arrays.stream(EmailBatchStatus.values()).map(EmailBatchStatus::wire))
                .containsExactly("pending", "file_error", "loading", "verifying", "complete", "downloaded");
    }
}
