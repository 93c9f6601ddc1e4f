package dev.sluice.server.compat.refdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every native batch status and every log entry type, in the seed's words. */
class TicketStateTest {

    @Test
    void every_batch_status_has_its_ticket_state() {
        // given
        Map<BatchStatus, TicketState> expected = new EnumMap<>(BatchStatus.class);
        expected.put(BatchStatus.WAITING_FOR_UPLOAD, TicketState.ACCEPTED);
        expected.put(BatchStatus.QUEUED, TicketState.ACCEPTED);
        expected.put(BatchStatus.LOADING, TicketState.PROCESSING);
        expected.put(BatchStatus.IN_PROGRESS, TicketState.PROCESSING);
        expected.put(BatchStatus.COMPLETED, TicketState.COMPLETED);
        expected.put(BatchStatus.FAILED, TicketState.FAILED);
        expected.put(BatchStatus.MALFORMED, TicketState.FAILED);
        expected.put(BatchStatus.CANCELLED, TicketState.FAILED);

        // when / then: the table covers every status
        assertThat(expected).hasSize(BatchStatus.values().length);
        for (BatchStatus status : BatchStatus.values()) {
            assertThat(TicketState.of(status)).as(status.wire()).isEqualTo(expected.get(status));
        }
    }

    @Test
    void a_final_batch_status_is_a_final_ticket_state_and_no_other_is() {
        for (BatchStatus status : BatchStatus.values()) {
            TicketState state = TicketState.of(status);
            assertThat(state == TicketState.COMPLETED || state == TicketState.FAILED).as(status.wire())
                    .isEqualTo(status.isFinal());
        }
    }

    @Test
    void every_log_entry_type_has_its_event_state() {
        // given: the state of each entry type when it is (true) and is not (false) the batch's first queueing
        Map<EventType, Optional<TicketState>> first = new EnumMap<>(EventType.class);
        first.put(EventType.JOB_CREATED, Optional.empty());
        first.put(EventType.JOB_CANCELLED, Optional.empty());
        first.put(EventType.BATCH_CREATED, Optional.of(TicketState.ACCEPTED));
        first.put(EventType.BATCH_QUEUED, Optional.of(TicketState.ACCEPTED));
        first.put(EventType.BATCH_LOADED, Optional.of(TicketState.PROCESSING));
        first.put(EventType.RECORDS_PROCESSED, Optional.of(TicketState.PROCESSING));
        first.put(EventType.BATCH_COMPLETED, Optional.of(TicketState.COMPLETED));
        first.put(EventType.BATCH_MALFORMED, Optional.of(TicketState.FAILED));
        first.put(EventType.BATCH_FAILED, Optional.of(TicketState.FAILED));
        first.put(EventType.BATCH_CANCELLED, Optional.of(TicketState.FAILED));
        Map<EventType, Optional<TicketState>> later = new EnumMap<>(first);
        later.put(EventType.BATCH_QUEUED, Optional.of(TicketState.PROCESSING));

        // when / then
        assertThat(first).hasSize(EventType.values().length);
        for (EventType type : EventType.values()) {
            assertThat(TicketState.ofEvent(type, true)).as(type.wire()).isEqualTo(first.get(type));
            assertThat(TicketState.ofEvent(type, false)).as(type.wire()).isEqualTo(later.get(type));
        }
    }

    @Test
    void wire_words_are_the_seeds() {
        assertThat(TicketState.ACCEPTED.wire()).isEqualTo("accepted");
        assertThat(TicketState.PROCESSING.wire()).isEqualTo("processing");
        assertThat(TicketState.COMPLETED.wire()).isEqualTo("completed");
        assertThat(TicketState.FAILED.wire()).isEqualTo("failed");
    }
}
