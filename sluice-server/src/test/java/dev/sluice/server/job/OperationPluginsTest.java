package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operations as the server registers them: each one a typed plug-in with its own counters, each counter in
 * its own slot, the slots' wire names unchanged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class OperationPluginsTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("sluice.verify.dns.enabled", () -> "false");
    }

    @Autowired
    Operations operations;

    @Test
    void every_operation_has_one_plug_in_chunked_or_produced() {
        for (Operation operation : Operation.values()) {
            assertThat(operations.supports(operation)).as(operation.wire()).isTrue();
            assertThat(operations.processor(operation).isPresent() ^ operations.producer(operation).isPresent())
                    .as(operation.wire()).isTrue();
        }
        assertThat(operations.producer(Operation.EXPORT)).isPresent();
    }

    @Test
    void each_operation_declares_its_own_counters_one_per_slot() {
        assertThat(declared(Operation.VERIFY)).containsExactly("valid=valid", "invalid=invalid",
                "accept_all=accept_all", "unknown=unknown", "duplicates=duplicates");
        assertThat(declared(Operation.ESTIMATE)).containsExactly("invalid=invalid", "duplicates=duplicates");
        assertThat(declared(Operation.IMPORT)).containsExactly("completed=completed", "failed=failed",
                "ignored=ignored");
        // append's "not matched" is its own counter, shown in the ignored slot as the API always did
        assertThat(declared(Operation.APPEND)).containsExactly("matched=completed", "unmatched=ignored");
        assertThat(declared(Operation.EXPORT)).containsExactly("written=completed");
        for (Operation operation : Operation.values()) {
            List<Counter.Slot> slots = operations.counters(operation).stream().map(Counter::slot).toList();
            assertThat(slots).as(operation.wire()).doesNotHaveDuplicates();
        }
    }

    @Test
    void counters_move_in_their_slot_and_read_back_by_name() {
        Counter matched = operations.counters(Operation.APPEND).get(0);
        Counter unmatched = operations.counters(Operation.APPEND).get(1);

        RecordCounts counts = RecordCounts.processedOnly(10).plus(matched, 7).plus(unmatched, 3);

        assertThat(counts).isEqualTo(RecordCounts.outcomes(10, 7, 0, 3));
        assertThat(counts.get(matched)).isEqualTo(7);
        assertThat(counts.get(unmatched)).isEqualTo(3);
    }

    @Test
    void options_are_parsed_into_the_operation_record_at_creation() {
        OperationOptions verify = operations.validate(Operation.VERIFY, "acc_none",
                Map.of("escape_formulas", false, "source", Map.of("uri", "https://files.example.net/list.csv")));

        assertThat(verify.sourceUri()).contains("https://files.example.net/list.csv");
        assertThat(operations.validate(Operation.VERIFY, "acc_none", null).sourceUri()).isEmpty();
        assertThatThrownBy(() -> operations.validate(Operation.VERIFY, "acc_none", Map.of("escape", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown verify option 'escape': a verify job takes escape_formulas, source.uri and "
                        + "transcripts");
    }

    private List<String> declared(Operation operation) {
        return operations.counters(operation).stream().map(c -> c.name() + "=" + c.slot().wire()).toList();
    }
}
