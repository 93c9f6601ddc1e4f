package dev.sluice.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.job.IllegalTransitionException;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeliveryStatusTest {

    /** Every allowed move, spelled out; every other pair must be refused. */
    private static final Set<String> ALLOWED = Set.of(
            "PENDING->PENDING", "PENDING->DELIVERED", "PENDING->FAILED",
            "DELIVERED->PENDING",
            "FAILED->PENDING");

    @ParameterizedTest
    @EnumSource(DeliveryStatus.class)
    void every_pair_follows_the_transition_table(DeliveryStatus from) {
        for (DeliveryStatus to : DeliveryStatus.values()) {
            boolean allowed = ALLOWED.contains(from + "->" + to);
            assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(allowed);
            if (!allowed) {
                assertThatThrownBy(() -> from.requireMoveTo(to)).isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(from.toString()).hasMessageContaining(to.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DeliveryStatus.class)
    void wire_spelling_round_trips(DeliveryStatus status) {
        assertThat(DeliveryStatus.fromWire(status.wire())).isEqualTo(status);
    }
}
