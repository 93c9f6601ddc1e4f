package dev.sluice.server.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of the HTTP server a request body may take. Every body is read only by the handler that asked
 * for it; the server never reads or spools one on its own (a refused request's body closes the connection).
 *
 * @param minBodyRate the least a request body must bring per second, measured over each
 *        {@code bodyRateWindow}; a slower one is cut with 408; default {@value #DEFAULT_MIN_BODY_RATE}
 *        (env {@code SLUICE_HTTP_MIN_BODY_RATE})
 * @param bodyRateWindow the span over which {@code minBodyRate} is measured, and the longest a body may
 *        send nothing at all; default {@value #DEFAULT_BODY_RATE_WINDOW} (env {@code SLUICE_HTTP_BODY_RATE_WINDOW})
 * @param bodyDeadline the longest any request body may take to arrive, however fast it trickles; default
 *        {@value #DEFAULT_BODY_DEADLINE} (env {@code SLUICE_HTTP_BODY_DEADLINE})
 * @param maxBodyReaders request bodies read at once on this node; more answer 503 at once, so slow
 *        bodies never take every request thread ({@code server.tomcat.threads.max}, 200); default
 *        {@value #DEFAULT_MAX_BODY_READERS} (env {@code SLUICE_HTTP_MAX_BODY_READERS})
 */
@ConfigurationProperties("sluice.http")
public record HttpProperties(
        @DefaultValue(DEFAULT_MIN_BODY_RATE) DataSize minBodyRate,
        @DefaultValue(DEFAULT_BODY_RATE_WINDOW) Duration bodyRateWindow,
        @DefaultValue(DEFAULT_BODY_DEADLINE) Duration bodyDeadline,
        @DefaultValue("" + DEFAULT_MAX_BODY_READERS) int maxBodyReaders) {

    public static final String DEFAULT_MIN_BODY_RATE = "1KB";
    public static final String DEFAULT_BODY_RATE_WINDOW = "10s";
    public static final String DEFAULT_BODY_DEADLINE = "15m";
    public static final int DEFAULT_MAX_BODY_READERS = 100;

    public HttpProperties {
        if (bodyRateWindow.isNegative() || bodyRateWindow.isZero() || bodyDeadline.isNegative()
                || bodyDeadline.isZero()) {
            throw new IllegalArgumentException("sluice.http.body-rate-window and sluice.http.body-deadline must be "
                    + "positive; got " + bodyRateWindow + " and " + bodyDeadline);
        }
        if (maxBodyReaders < 1) {
            throw new IllegalArgumentException("sluice.http.max-body-readers must be at least 1, not " + maxBodyReaders);
        }
    }
}
