package dev.sluice.server.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts records as their counters are committed: {@code sluice_records_processed_total{operation, outcome}}.
 * The outcome of a verified record is its verdict ({@code valid}, {@code invalid}, {@code accept_all},
 * {@code unknown}); of the dataset operations, {@code completed}, {@code failed} or {@code ignored}. One tag
 * name serves both because Prometheus wants one set of label names per metric.
 *
 * <p>Counted only after the transaction that adds the same numbers to the batch has committed, and only
 * by the worker whose compare-and-set won, so a retried or taken-over chunk is counted once. Each node
 * counts what it committed: sum the series over nodes.
 */
@Component
public class JobMetrics {

    /** Records whose outcome was committed, by operation and outcome. */
    public static final String RECORDS_PROCESSED = "sluice.records.processed";

    /** Outcomes of verify: the verdicts. */
    static final List<String> VERDICTS = List.of("valid", "invalid", "accept_all", "unknown");
    /** Outcomes of the dataset operations. */
    static final List<String> OUTCOMES = List.of("completed", "failed", "ignored");

    /** Chunks processed while their batch was loading and adopted by the load ({@link EarlyChunks}). */
    public static final String CHUNKS_WHILE_LOADING = "sluice.chunks.processed.while.loading";

    private final Map<String, Counter> counters = new HashMap<>();
    private final Counter whileLoading;

    public JobMetrics(MeterRegistry registry) {
        // every series exists from the start, so rates and dashboards see zeros rather than gaps
        for (Operation operation : Operation.values()) {
            for (String outcome : outcomesOf(operation)) {
                counters.put(key(operation, outcome), Counter.builder(RECORDS_PROCESSED)
                        .description("Records whose outcome was committed, by operation and outcome (verdict for verify)")
                        .tag("operation", operation.wire())
                        .tag("outcome", outcome)
                        .register(registry));
            }
        }
        whileLoading = Counter.builder(CHUNKS_WHILE_LOADING)
                .description("Chunks processed on the loading node while their batch was loading, adopted when it "
                        + "ended")
                .register(registry);
    }

    /** Counts {@code chunks} processed while their batch loaded, just committed with the load. */
    void adoptedWhileLoading(int chunks) {
        whileLoading.increment(chunks);
    }

    /** Adds counters that were just committed to a batch of an {@code operation}. */
    void committed(Operation operation, RecordCounts counts) {
        if (operation == Operation.VERIFY) {
            add(operation, "valid", counts.valid());
            add(operation, "invalid", counts.invalid());
            add(operation, "accept_all", counts.acceptAll());
            add(operation, "unknown", counts.unknown());
        } else {
            add(operation, "completed", counts.completed());
            add(operation, "failed", counts.failed());
            add(operation, "ignored", counts.ignored());
        }
    }

    private void add(Operation operation, String outcome, long amount) {
        if (amount > 0) {
            counters.get(key(operation, outcome)).increment(amount);
        }
    }

    private static List<String> outcomesOf(Operation operation) {
        return operation == Operation.VERIFY ? VERDICTS : OUTCOMES;
    }

    private static String key(Operation operation, String outcome) {
        return operation.wire() + "/" + outcome;
    }
}
