package dev.sluice.server.config;

import dev.sluice.server.store.NodeStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Records this node in the nodes table at start and then every heartbeat interval. */
@Component
class NodeHeartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final NodeStore nodes;
    private final NodeIdentity identity;
    private final NodeProperties properties;
    private final Clock clock;
    private ScheduledExecutorService timer;

    NodeHeartbeat(NodeStore nodes, NodeIdentity identity, NodeProperties properties, Clock clock) {
        this.nodes = nodes;
        this.identity = identity;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        List<String> roles = properties.roles().stream().sorted().toList();
        nodes.started(identity.id(), roles, clock.instant());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-node-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                nodes.heartbeat(identity.id(), roles, clock.instant());
            } catch (RuntimeException e) {
                log.warn("node heartbeat failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        log.debug("node {} started with roles {}", identity.id(), roles);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
