package dev.sluice.server.compat.append;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.JobStatus;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every native status in the seed's words, and a job's state from its batches. */
class SeedStateTest {

    @ParameterizedTest
    @CsvSource({
        "WAITING_FOR_UPLOAD, WAITING_FOR_UPLOAD",
        "QUEUED, QUEUED",
        "LOADING, IN_PROGRESS",
        "IN_PROGRESS, IN_PROGRESS",
        "COMPLETED, COMPLETED",
        "FAILED, FAILED",
        "MALFORMED, MALFORMED",
        "CANCELLED, FAILED"
    })
    void every_batch_status_has_a_seed_word(BatchStatus status, SeedState expected) {
        // given / when / then
        assertThat(SeedState.of(status)).isEqualTo(expected);
    }

    @Test
    void the_table_covers_every_batch_status() {
        // given / when / then: the switch is exhaustive, so no status throws
        for (BatchStatus status : BatchStatus.values()) {
            assertThat(SeedState.of(status)).isNotNull();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // waiting, queued, in progress, completed, failed, malformed -> job state
        "0, 0, 0, 0, 0, 0, WAITING_FOR_UPLOAD",
        "1, 0, 0, 3, 0, 0, WAITING_FOR_UPLOAD",
        "1, 1, 0, 0, 0, 0, QUEUED",
        "1, 1, 1, 0, 0, 0, IN_PROGRESS",
        "0, 0, 0, 5, 0, 0, COMPLETED",
        "0, 0, 0, 1, 2, 1, COMPLETED",
        "0, 0, 0, 0, 1, 1, FAILED",
        "0, 0, 0, 0, 0, 1, FAILED"
    })
    void a_job_state_follows_its_batches(long waiting, long queued, long inProgress, long completed, long failed,
            long malformed, SeedState expected) {
        // given
        Map<SeedState, Long> counts = new EnumMap<>(SeedState.class);
        counts.put(SeedState.WAITING_FOR_UPLOAD, waiting);
        counts.put(SeedState.QUEUED, queued);
        counts.put(SeedState.IN_PROGRESS, inProgress);
        counts.put(SeedState.COMPLETED, completed);
        counts.put(SeedState.FAILED, failed);
        counts.put(SeedState.MALFORMED, malformed);

        // when / then
        assertThat(SeedState.ofJob(JobStatus.OPEN, counts)).isEqualTo(expected);
    }

    @Test
    void a_cancelled_job_is_failed() {
        // given / when / then
        assertThat(SeedState.ofJob(JobStatus.CANCELLED, Map.of(SeedState.COMPLETED, 2L))).isEqualTo(SeedState.FAILED);
    }
}
