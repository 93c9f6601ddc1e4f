package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.task.Task;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the shared database, so every node of a cluster reports the same values (aggregate them
 * with {@code max}, not {@code sum}): {@code sluice_batches{status}}, batches of all accounts by status, and
 * {@code sluice_task_queue_depth{task}}, task executions that are due and not claimed by any worker. The
 * readings are taken when metrics are scraped and reused for {@link #MAX_AGE}, so frequent scrapes cost at
 * most two grouped counts every few seconds. While the database cannot be read the gauges show NaN.
 */
@Component
class QueueGauges implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    static final String BATCHES = "sluice.batches";
    static final String QUEUE_DEPTH = "sluice.task.queue.depth";
    /** How long one reading of the database serves scrapes. */
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final BatchStore batches;
    private final TaskQueueStore queue;
    private final Clock clock;
    private final List<String> knownTasks;
    private final Set<String> registeredTasks = ConcurrentHashMap.newKeySet();

    private volatile MeterRegistry registry;
    private Reading reading;
    private long readAtNanos;

    QueueGauges(BatchStore batches, TaskQueueStore queue, Clock clock, List<Task<?>> tasks) {
        this.batches = batches;
        this.queue = queue;
        this.clock = clock;
        this.knownTasks = tasks.stream().map(Task::getName).distinct().sorted().toList();
    }

    /** One reading of the database; null maps when it could not be read. */
    private record Reading(Map<BatchStatus, Long> batches, Map<String, Long> due) {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (BatchStatus status : BatchStatus.values()) {
            Gauge.builder(BATCHES, this, gauges -> gauges.batches(status))
                    .description("Batches of all accounts in each status (read from the shared database)")
                    .tag("status", status.wire())
                    .register(registry);
        }
        knownTasks.forEach(this::registerTask);
    }

    private void registerTask(String task) {
        if (registeredTasks.add(task)) {
            Gauge.builder(QUEUE_DEPTH, this, gauges -> gauges.due(task))
                    .description("Task executions due and not claimed by a worker (read from the shared database)")
                    .tag("task", task)
                    .register(registry);
        }
    }

    private double batches(BatchStatus status) {
        Reading current = read();
        return current.batches() == null ? Double.NaN : current.batches().getOrDefault(status, 0L);
    }

    private double due(String task) {
        Reading current = read();
        return current.due() == null ? Double.NaN : current.due().getOrDefault(task, 0L);
    }

    private Reading read() {
        Reading current;
        synchronized (this) {
            if (reading != null && System.nanoTime() - readAtNanos < MAX_AGE.toNanos()) {
                return reading;
            }
            try {
                current = new Reading(batches.countByStatus(), queue.dueByTask(clock.instant()));
            } catch (DataAccessException e) {
                log.warn("could not read batch and queue gauges from the database: {}", e.toString());
                current = new Reading(null, null);
            }
            reading = current;
            readAtNanos = System.nanoTime();
        }
        // a task name this node does not run (another version's, say) still counts towards the queue
        if (current.due() != null) {
            current.due().keySet().forEach(this::registerTask);
        }
        return current;
    }
}
