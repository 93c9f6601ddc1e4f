package dev.sluice.server.job;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The operations this server runs: one {@link OperationPlugin} per operation, a chunk processor or a producer. */
@Component
public class Operations {

    private final Map<Operation, OperationPlugin<?>> plugins = new EnumMap<>(Operation.class);

    /** Most characters a job's options take as JSON: they are stored with the job and shown on every job page. */
    public static final int MAX_OPTIONS_CHARS = 64 * 1024;

    private final JsonMapper json;

    public Operations(List<OperationPlugin<?>> plugins, JsonMapper json) {
        this.json = json;
        for (OperationPlugin<?> plugin : plugins) {
            checkCounters(plugin);
            if (this.plugins.put(plugin.operation(), plugin) != null) {
                throw new IllegalStateException("two implementations of the operation " + plugin.operation().wire());
            }
        }
    }

    /** Each counter of an operation has its own name and its own slot: a slot never means two things. */
    static void checkCounters(OperationPlugin<?> plugin) {
        Set<Counter.Slot> slots = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Counter counter : plugin.counters()) {
            if (!slots.add(counter.slot()) || !names.add(counter.name())) {
                throw new IllegalStateException("the operation " + plugin.operation().wire() + " declares the counter "
                        + counter.name() + " (slot " + counter.slot().wire() + ") twice");
            }
        }
    }

    public Optional<ChunkProcessor<?>> processor(Operation operation) {
        return plugins.get(operation) instanceof ChunkProcessor<?> processor ? Optional.of(processor) : Optional.empty();
    }

    public Optional<OutputProducer<?>> producer(Operation operation) {
        return plugins.get(operation) instanceof OutputProducer<?> producer ? Optional.of(producer) : Optional.empty();
    }

    /** The counters the operation declares; empty when the server does not run it. */
    public List<Counter> counters(Operation operation) {
        OperationPlugin<?> plugin = plugins.get(operation);
        return plugin == null ? List.of() : plugin.counters();
    }

    /**
     * Adds to the batch and its job, inside the caller's transaction, the counters its operation gives a
     * batch that ended without completing ({@link ChunkProcessor#unfinished}).
     */
    void settleUnfinished(BatchStore batches, JobStore jobs, Batch batch, Instant now) {
        Job job = jobs.findById(batch.jobId()).orElse(null);
        if (job == null) {
            return;
        }
        RecordCounts rest = processor(job.operation()).map(p -> p.unfinished(batch)).orElse(RecordCounts.ZERO);
        if (!rest.equals(RecordCounts.ZERO)) {
            batches.addCounts(batch.id(), rest, now);
            jobs.addProcessed(batch.jobId(), rest, now);
        }
    }

    /** Whether the server can run jobs of this operation. */
    public boolean supports(Operation operation) {
        return plugins.containsKey(operation);
    }

    /**
     * Parses and checks a new job's options, once, into the operation's record; {@link IllegalArgumentException}
     * says what is wrong.
     */
    public OperationOptions validate(Operation operation, String accountId, Map<String, Object> options) {
        int size = options == null ? 0 : json.writeValueAsString(options).length();
        if (size > MAX_OPTIONS_CHARS) {
            throw new IllegalArgumentException("'options' take " + size + " characters of JSON; a job's options take "
                    + "at most " + MAX_OPTIONS_CHARS);
        }
        OperationPlugin<?> plugin = plugins.get(operation);
        if (plugin == null) {
            throw new IllegalArgumentException("the operation " + operation.wire() + " is not available on this server");
        }
        return plugin.parse(accountId, options == null ? Map.of() : options);
    }

    /** The stored options of a job, read into its operation's record. */
    OperationOptions read(Job job) {
        OperationPlugin<?> plugin = plugins.get(job.operation());
        if (plugin == null) {
            throw new IllegalStateException("the operation " + job.operation().wire() + " is not available on this server");
        }
        return plugin.read(job.options());
    }

    /** The name of a produced batch's result, before it is produced (a front door shows it while it runs). */
    public Optional<String> producedResultName(Job job, Batch batch) {
        return producer(job.operation()).map(producer -> resultName(producer, job, batch));
    }

    private static <O extends OperationOptions> String resultName(OutputProducer<O> producer, Job job, Batch batch) {
        return producer.resultName(job, producer.read(job.options()), batch);
    }

    /** For an operation that reads a key shortened in its messages: at most 40 characters of it. */
    public static String shown(String key) {
        return key.length() > 40 ? key.substring(0, 40) + "..." : key;
    }
}
