package dev.sluice.server.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live job streams ({@code GET /api/v1/jobs/{id}/stream}, server-sent events), which the web console
 * watches a job through.
 *
 * @param maxOpen most streams open at once on this node; one more answers 429 {@code too_many_streams};
 *     default {@value #DEFAULT_MAX_OPEN} (env {@code SLUICE_STREAM_MAX_OPEN})
 * @param maxOpenPerAccount most streams one account may hold open at once on this node, so that one account
 *     cannot take every slot; one more answers 429 {@code too_many_streams}; default
 *     {@value #DEFAULT_MAX_OPEN_PER_ACCOUNT} (env {@code SLUICE_STREAM_MAX_OPEN_PER_ACCOUNT})
 * @param timeout how long one stream stays open before the server ends it (the client reconnects);
 *     default 30m (env {@code SLUICE_STREAM_TIMEOUT})
 * @param pollInterval how often each open stream reads its job from the store; default 500ms
 *     (env {@code SLUICE_STREAM_POLL_INTERVAL})
 * @param keepAlive longest silence before a comment line is sent, so that proxies keep the connection and
 *     a vanished client is noticed; default 15s (env {@code SLUICE_STREAM_KEEP_ALIVE})
 */
@ConfigurationProperties("sluice.stream")
public record StreamProperties(
        @DefaultValue("" + DEFAULT_MAX_OPEN) int maxOpen,
        @DefaultValue("" + DEFAULT_MAX_OPEN_PER_ACCOUNT) int maxOpenPerAccount,
        @DefaultValue("30m") Duration timeout,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("15s") Duration keepAlive) {

    public static final int DEFAULT_MAX_OPEN = 200;
    /** A person with the console open in a few tabs, or a script watching a handful of jobs. */
    public static final int DEFAULT_MAX_OPEN_PER_ACCOUNT = 20;

    public StreamProperties {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("sluice.stream.max-open must be at least 1, not " + maxOpen);
        }
        if (maxOpenPerAccount < 1) {
            throw new IllegalArgumentException(
                    "sluice.stream.max-open-per-account must be at least 1, not " + maxOpenPerAccount);
        }
        if (timeout.isNegative() || timeout.isZero() || pollInterval.isNegative() || pollInterval.isZero()
                || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("sluice.stream.timeout, .poll-interval and .keep-alive must be positive");
        }
    }
}
