package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Names and instances of the batch tasks in the task table. Instance ids are derived from the batch (and
 * chunk), so scheduling the same step twice is a no-op ({@code scheduleIfNotExists}).
 */
@Component
class BatchTasks {

    /** Reads a batch's file and cuts it into chunks; data: the batch id. */
    public static final TaskDescriptor<String> LOAD = TaskDescriptor.of("batch-load", String.class);
    /** Processes one chunk; data: {@code <batch id>/<chunk index>}. */
    public static final TaskDescriptor<String> CHUNK = TaskDescriptor.of("batch-chunk", String.class);
    /** Writes a batch's result from its parts; data: the batch id. */
    public static final TaskDescriptor<String> ASSEMBLE = TaskDescriptor.of("batch-assemble", String.class);

    /** Removes a deleted job's rows and files; data: {@code <account id>/<job id>}. */
    public static final TaskDescriptor<String> PURGE = TaskDescriptor.of("job-purge", String.class);

    private final Clock clock;
    private final ObjectProvider<Scheduler> scheduler;

    // a provider: the scheduler runs the tasks whose worker schedules through this class
    public BatchTasks(Clock clock, ObjectProvider<Scheduler> scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /**
     * Schedules {@code instance} (a no-op when it is scheduled already) and, once the caller's transaction has
     * committed, has this node's scheduler look for due tasks at once. The scheduler's own look on scheduling comes
     * before the commit, when the new row cannot be seen yet, so without this the task waited up to a whole
     * {@code sluice.job.poll-interval}: at each step of a batch (load, chunks, assembly).
     */
    public void schedule(SchedulerClient client, SchedulableInstance<String> instance) {
        client.scheduleIfNotExists(instance);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    lookForDueTasks();
                }
            });
        } else {
            lookForDueTasks();
        }
    }

    private void lookForDueTasks() {
        Scheduler local = scheduler.getIfAvailable();
        if (local != null) {
            local.triggerCheckForDueExecutions();
        }
    }

    public SchedulableInstance<String> loadInstance(String batchId) {
        return LOAD.instance(batchId).data(batchId).scheduledTo(clock.instant());
    }

    public SchedulableInstance<String> chunkInstance(String batchId, int index) {
        String id = batchId + "/" + index;
        return CHUNK.instance(id).data(id).scheduledTo(clock.instant());
    }

    public SchedulableInstance<String> assembleInstance(String batchId) {
        return ASSEMBLE.instance(batchId).data(batchId).scheduledTo(clock.instant());
    }

    public SchedulableInstance<String> purgeInstance(String accountId, String jobId) {
        return PURGE.instance(jobId).data(accountId + "/" + jobId).scheduledTo(clock.instant());
    }

    /** The batch id in a chunk task's data. */
    static String batchOf(String chunkData) {
        return chunkData.substring(0, chunkData.lastIndexOf('/'));
    }

    /** The chunk index in a chunk task's data. */
    static int indexOf(String chunkData) {
        return Integer.parseInt(chunkData.substring(chunkData.lastIndexOf('/') + 1));
    }
}
