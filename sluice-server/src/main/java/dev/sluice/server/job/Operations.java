package dev.sluice.server.job;

import java.util.EnumMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The implementations of the operations: a chunk processor, or an output producer, per operation. */
@Component
public class Operations {

    private final Map<Operation, ChunkProcessor> processors = new EnumMap<>(Operation.class);
    private final Map<Operation, OutputProducer> producers = new EnumMap<>(Operation.class);

    /** Most characters a job's options take as JSON: they are stored with the job and shown on every job page. */
    public static final int MAX_OPTIONS_CHARS = 64 * 1024;

    private final JsonMapper json;

    public Operations(List<ChunkProcessor> processors, List<OutputProducer> producers, JsonMapper json) {
        this.json = json;
        processors.forEach(p -> this.processors.put(p.operation(), p));
        producers.forEach(p -> this.producers.put(p.operation(), p));
    }

    public Optional<ChunkProcessor> processor(Operation operation) {
        return Optional.ofNullable(processors.get(operation));
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

    public Optional<OutputProducer> producer(Operation operation) {
        return Optional.ofNullable(producers.get(operation));
    }

    /** Whether the server can run jobs of this operation. */
    public boolean supports(Operation operation) {
        return processors.containsKey(operation) || producers.containsKey(operation);
    }

    /** Checks a new job's options; {@link IllegalArgumentException} says what is wrong. */
    public void validate(Operation operation, String accountId, Map<String, Object> options) {
        int size = options == null ? 0 : json.writeValueAsString(options).length();
        if (size > MAX_OPTIONS_CHARS) {
            throw new IllegalArgumentException("'options' take " + size + " characters of JSON; a job's options take "
                    + "at most " + MAX_OPTIONS_CHARS);
        }
        if (processors.containsKey(operation)) {
            processors.get(operation).validate(accountId, options);
        } else if (producers.containsKey(operation)) {
            producers.get(operation).validate(accountId, options);
        } else {
            throw new IllegalArgumentException("the operation " + operation.wire() + " is not available on this server");
        }
    }

    /** For an operation without options: {@link IllegalArgumentException} naming the first key given. */
    static void refuseAny(Operation operation, Map<String, Object> options) {
        if (options == null || options.isEmpty()) {
            return;
        }
        String key = options.keySet().iterator().next();
        String shown = key.length() > 40 ? key.substring(0, 40) + "..." : key;
        throw new IllegalArgumentException("unknown " + operation.wire() + " option '" + shown + "': a "
                + operation.wire() + " job takes no options; leave 'options' out");
    }
}
