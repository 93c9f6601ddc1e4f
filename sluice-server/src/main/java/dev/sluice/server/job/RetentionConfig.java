package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the retention purge as a recurring db-scheduler task (the scheduler starts it on boot). */
@Configuration(proxyBeanMethods = false)
class RetentionConfig {

    @Bean
    RecurringTask<Void> retentionPurgeTask(RetentionPurge purge, JobProperties properties) {
        return Tasks.recurring(RetentionPurge.TASK, FixedDelay.of(properties.purgeInterval()))
                .execute((instance, context) -> {
                    try {
                        purge.purgeExpired();
                    } catch (IOException e) {
                        // the next run, one interval later, starts over; nothing is half-marked
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
