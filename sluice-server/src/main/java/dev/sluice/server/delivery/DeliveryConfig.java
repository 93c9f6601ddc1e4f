package dev.sluice.server.delivery;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the delivery task with the task engine (every {@code Task} bean is). A receiver's refusal is
 * not a task failure: the attempt is recorded and the task reschedules itself by the {@link RetryPolicy}.
 * Only an infrastructure failure (the database away) fails the task, which then retries with backoff.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryConfig {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfig.class);

    /** Longest wait after an infrastructure failure of the delivery task. */
    static final Duration MAX_ERROR_BACKOFF = Duration.ofMinutes(5);
    /** Infrastructure failures in a row after which the task gives up; the delivery stays pending. */
    static final int MAX_ERRORS = 20;

    @Bean
    CustomTask<String> deliveryTask(DeliveryWorker worker) {
        return Tasks.custom(DeliveryTasks.SEND)
                .onFailure(new BackoffOnError())
                .execute((instance, context) -> {
                    Optional<Instant> next = worker.send(instance.getData());
                    return next.<CompletionHandler<String>>map(
                                    at -> (complete, operations) -> operations.reschedule(complete, at))
                            .orElseGet(CompletionHandler.OnCompleteRemove::new);
                });
    }

    /** Retries the task after 1s, 2s, 4s... up to {@link #MAX_ERROR_BACKOFF}; stops after {@link #MAX_ERRORS}. */
    private static final class BackoffOnError implements FailureHandler<String> {

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<String> operations) {
            int failures = complete.getExecution().consecutiveFailures + 1;
            Throwable cause = complete.getCause().orElse(new IllegalStateException("unknown failure"));
            if (failures >= MAX_ERRORS) {
                log.error("delivery task {} failed {} times in a row, giving up; redeliver it once the cause is fixed: {}",
                        complete.getExecution().taskInstance, failures, cause.toString());
                operations.stop();
                return;
            }
            Duration backoff = Duration.ofSeconds(1L << Math.min(failures - 1, 20));
            if (backoff.compareTo(MAX_ERROR_BACKOFF) > 0) {
                backoff = MAX_ERROR_BACKOFF;
            }
            log.warn("delivery task {} failed (error {} in a row), retrying in {}: {}",
                    complete.getExecution().taskInstance, failures, backoff, cause.toString());
            operations.reschedule(complete, Instant.now().plus(backoff));
        }
    }
}
