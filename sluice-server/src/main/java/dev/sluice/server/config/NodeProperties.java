package dev.sluice.server.config;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this node does in a deployment of several.
 *
 * @param roles     {@code api} (serves the HTTP API), {@code worker} (runs tasks), or both; default both
 *                  (env {@code SLUICE_NODE_ROLES}, e.g. {@code worker})
 * @param heartbeat how often the node records that it is alive; default 5s (env {@code SLUICE_NODE_HEARTBEAT})
 */
@ConfigurationProperties("sluice.node")
public record NodeProperties(
        @DefaultValue({"api", "worker"}) Set<String> roles,
        @DefaultValue("5s") Duration heartbeat) {

    /** Serves the HTTP API. */
    public static final String API = "api";
    /** Runs tasks. */
    public static final String WORKER = "worker";

    public NodeProperties {
        for (String role : roles) {
            if (!role.equals(API) && !role.equals(WORKER)) {
                throw new IllegalArgumentException("unknown node role '" + role + "'; use api, worker or both");
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one role: api, worker");
        }
    }

    public boolean api() {
        return roles.contains(API);
    }

    public boolean worker() {
        return roles.contains(WORKER);
    }
}
