package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.sluice.server.config.NodeIdentity;
import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.storage.OutOfSpace;
import dev.sluice.server.store.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The task engine: db-scheduler on the store's own database, running the batch tasks. Workers heartbeat
 * their tasks; a task whose worker stops heartbeating is taken over by another worker. A failing task is
 * retried with exponential backoff, and after {@code sluice.job.max-attempts} its batch is marked failed,
 * unless it failed for lack of disk space: then it keeps waiting (backoff up to {@link #MAX_BACKOFF}) for
 * room. A storage or database failure of the engine itself pauses task pickup ({@link PausingTaskExecutor}).
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfig {

    private static final Logger log = LoggerFactory.getLogger(SchedulerConfig.class);

    /** Longest wait between two attempts of a failing task. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /**
     * Claims of this node left over from a previous life: nothing of ours runs before the scheduler starts,
     * so they are dead and can be freed at once instead of waiting for their heartbeats to go stale.
     */
    private static final String FREE_OWN_CLAIMS = """
            UPDATE scheduled_tasks SET picked = :not_picked, picked_by = NULL, last_heartbeat = NULL
            WHERE picked_by = :node
            """;

    /** How long a load waits when its source must be fetched and every fetch slot of this node is taken. */
    static final Duration FETCH_SLOT_WAIT = Duration.ofSeconds(2);

    @Bean
    CustomTask<String> loadTask(BatchWorker worker, JobProperties properties) {
        // A load that finds no free fetch slot ends without a failure and runs again later, freeing its worker.
        return Tasks.custom(BatchTasks.LOAD)
                .onFailure(new RetryThenFail(properties, worker, data -> data))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    boolean[] done = {true};
                    run(() -> done[0] = worker.load(instance.getData(), context.getSchedulerClient()));
                    return done[0] ? new CompletionHandler.OnCompleteRemove<>()
                            : (complete, operations) -> operations.reschedule(complete, Instant.now().plus(FETCH_SLOT_WAIT));
                });
    }

    @Bean
    OneTimeTask<String> chunkTask(BatchWorker worker, JobProperties properties) {
        return Tasks.oneTime(BatchTasks.CHUNK)
                .onFailure(new RetryThenFail(properties, worker, BatchTasks::batchOf))
                .execute((instance, context) -> run(() -> worker.processChunk(BatchTasks.batchOf(instance.getData()),
                        BatchTasks.indexOf(instance.getData()), context.getSchedulerClient())));
    }

    @Bean
    OneTimeTask<String> assembleTask(BatchWorker worker, JobProperties properties) {
        return Tasks.oneTime(BatchTasks.ASSEMBLE)
                .onFailure(new RetryThenFail(properties, worker, data -> data))
                .execute((instance, context) -> run(() -> worker.assemble(instance.getData())));
    }

    /** Purges a deleted job; a failure (a file still being written) retries with backoff until it passes. */
    @Bean
    OneTimeTask<String> purgeTask(org.springframework.beans.factory.ObjectProvider<JobService> jobs) {
        // a provider: the job service schedules through the scheduler this task is part of
        return Tasks.oneTime(BatchTasks.PURGE)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(1)))
                .execute((instance, context) -> {
                    String data = instance.getData();
                    int slash = data.indexOf('/');
                    run(() -> jobs.getObject().purge(data.substring(0, slash), data.substring(slash + 1)));
                });
    }

    @Bean
    Scheduler scheduler(DataSource dataSource, List<Task<?>> tasks, JobProperties properties, NodeIdentity node,
            Dialect dialect, MeterRegistry meters, Clock clock) {
        // Through the proxy, scheduling inside a Spring transaction joins it: a status change and the
        // task it calls for commit together or not at all.
        // Recurring tasks (the retention purge) must be start tasks, which db-scheduler schedules on start;
        // it knows them through startTasks, so they are left out of the plain list.
        List<Task<?>> plain = new java.util.ArrayList<>();
        List<RecurringTask<?>> recurring = new java.util.ArrayList<>();
        tasks.forEach(task -> {
            if (task instanceof RecurringTask<?> r) {
                recurring.add(r);
            } else {
                plain.add(task);
            }
        });
        SchedulerBuilder builder = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), plain)
                .startTasks(recurring);
        dialect.configureScheduler(builder);
        return builder
                .schedulerName(new SchedulerName.Fixed(node.id()))
                // dbscheduler_task_duration_seconds{task} and dbscheduler_task_completions_total{task,result}
                .statsRegistry(new MicrometerStatsRegistry(meters, tasks))
                .threads(properties.effectiveWorkerThreads())
                // pauses task pickup after a storage or database failure instead of retrying it at once
                .executorService(new PausingTaskExecutor(properties.effectiveWorkerThreads(), properties.workerNice(),
                        clock))
                .pollingInterval(properties.pollInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(properties.missedHeartbeats())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler, JdbcClient jdbc, NodeIdentity node, NodeProperties roles) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
                if (!roles.worker()) {
                    // An api-only node schedules tasks (through the same client) but never runs them.
                    log.info("this node has no worker role: tasks run on other nodes");
                    return;
                }
                int freed = jdbc.sql(FREE_OWN_CLAIMS).param("not_picked", false).param("node", node.id()).update();
                if (freed > 0) {
                    log.info("freed {} task claims left by this node's previous run", freed);
                }
                scheduler.start();
            }

            @Override
            public void stop() {
                if (roles.worker()) {
                    scheduler.stop();
                }
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    private static void run(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Retries with exponential backoff (1s, 2s, 4s... up to {@link #MAX_BACKOFF}), then fails the batch. */
    private static final class RetryThenFail implements FailureHandler<String> {

        private final JobProperties properties;
        private final BatchWorker worker;
        private final java.util.function.Function<String, String> batchId;

        RetryThenFail(JobProperties properties, BatchWorker worker, java.util.function.Function<String, String> batchId) {
            this.properties = properties;
            this.worker = worker;
            this.batchId = batchId;
        }

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<String> operations) {
            int failures = complete.getExecution().consecutiveFailures + 1;
            String data = (String) complete.getExecution().taskInstance.getData();
            Throwable cause = complete.getCause().orElse(new IllegalStateException("unknown failure"));
            // a full disk is the operator's to fix, not the batch's fault: wait for room, never fail the batch
            boolean outOfSpace = OutOfSpace.causedBy(cause);
            if (failures >= properties.maxAttempts() && !outOfSpace) {
                worker.fail(batchId.apply(data), cause);
                operations.stop();
                return;
            }
            Duration backoff = Duration.ofSeconds(1L << Math.min(failures - 1, 20));
            if (backoff.compareTo(MAX_BACKOFF) > 0) {
                backoff = MAX_BACKOFF;
            }
            if (outOfSpace) {
                log.warn("task {} failed for lack of disk space (attempt {}), retrying in {}: {}",
                        complete.getExecution().taskInstance, failures, backoff, cause.toString());
            } else {
                log.warn("task {} failed (attempt {} of {}), retrying in {}: {}", complete.getExecution().taskInstance,
                        failures, properties.maxAttempts(), backoff, cause.toString());
            }
            operations.reschedule(complete, Instant.now().plus(backoff));
        }
    }

}
