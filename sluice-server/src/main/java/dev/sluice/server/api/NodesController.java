package dev.sluice.server.api;

import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.Page;
import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.store.NodeStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The live nodes of the deployment, with their roles, last heartbeat and running tasks (admin keys only). */
@RestController
class NodesController {

    /** Heartbeats a node may miss and still count as live. */
    static final int MISSED_HEARTBEATS = 3;

    private final NodeStore nodes;
    private final NodeProperties properties;
    private final Clock clock;

    NodesController(NodeStore nodes, NodeProperties properties, Clock clock) {
        this.nodes = nodes;
        this.properties = properties;
        this.clock = clock;
    }

    record NodeView(String id, List<String> roles, Instant startedAt, Instant heartbeatAt, List<String> runningTasks) {
    }

    @GetMapping("/api/v1/nodes")
    Page<NodeView> nodes(Caller caller) {
        if (!caller.account().admin()) {
            throw new ProblemException(Problem.FORBIDDEN, "only an admin key may list nodes");
        }
        Instant since = clock.instant().minus(properties.heartbeat().multipliedBy(MISSED_HEARTBEATS));
        return new Page<>(nodes.live(since).stream()
                .map(n -> new NodeView(n.id(), n.roles(), n.startedAt(), n.heartbeatAt(), nodes.running(n.id())))
                .toList(), null);
    }
}
