package dev.sluice.server.compat.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.job.BatchStatus;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every native batch status, with and without its drop copy, in the front door's status words. */
class ExportStatusTest {

    private static final Map<BatchStatus, String> WITHOUT_COPY = Map.of(
            BatchStatus.WAITING_FOR_UPLOAD, "Queued",
            BatchStatus.QUEUED, "Queued",
            BatchStatus.LOADING, "InProcess",
            BatchStatus.IN_PROGRESS, "InProcess",
            BatchStatus.COMPLETED, "InProcess",
            BatchStatus.FAILED, "Error",
            BatchStatus.MALFORMED, "Error",
            BatchStatus.CANCELLED, "Error");

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void each_batch_status_maps_to_one_status_word(BatchStatus batch) {
        // given / when
        String withoutCopy = ExportStatus.of(batch, false).wire();
        String withCopy = ExportStatus.of(batch, true).wire();

        // then only a completed batch whose file is in the drop is Complete
        assertThat(withoutCopy).isEqualTo(WITHOUT_COPY.get(batch));
        assertThat(withCopy).isEqualTo(batch == BatchStatus.COMPLETED ? "Complete" : WITHOUT_COPY.get(batch));
    }
}
