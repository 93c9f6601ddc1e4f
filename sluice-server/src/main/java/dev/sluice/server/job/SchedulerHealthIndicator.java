package dev.sluice.server.job;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerState;
import dev.sluice.server.config.NodeProperties;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code scheduler} health component, part of readiness: on a node with the worker role, UP while the
 * task engine runs and DOWN once it is stopping or paused; a node without the worker role runs no tasks and
 * is UP. Not part of liveness: a stopped engine is a reason to take the node out, not to restart it in a loop.
 */
@Component
class SchedulerHealthIndicator extends AbstractHealthIndicator {

    private final Scheduler scheduler;
    private final boolean worker;

    SchedulerHealthIndicator(Scheduler scheduler, NodeProperties roles) {
        super("task scheduler check failed");
        this.scheduler = scheduler;
        this.worker = roles.worker();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!worker) {
            builder.up().withDetail("worker", false);
            return;
        }
        SchedulerState state = scheduler.getSchedulerState();
        boolean running = state.isStarted() && !state.isShuttingDown() && !state.isPaused();
        (running ? builder.up() : builder.down())
                .withDetail("worker", true)
                .withDetail("started", state.isStarted())
                .withDetail("shutting_down", state.isShuttingDown())
                .withDetail("paused", state.isPaused());
    }
}
