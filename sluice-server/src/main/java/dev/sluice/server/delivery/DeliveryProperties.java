package dev.sluice.server.delivery;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sending notifications.
 *
 * @param allowHttp      whether plain {@code http://} URLs may be called (https only otherwise); default
 *                       false (env {@code SLUICE_DELIVERY_ALLOW_HTTP})
 * @param connectTimeout how long to wait for the receiver's TCP and TLS handshake; default
 *                       {@value #DEFAULT_CONNECT_TIMEOUT} (env {@code SLUICE_DELIVERY_CONNECT_TIMEOUT})
 * @param readTimeout    how long to wait for the receiver's answer once connected; default
 *                       {@value #DEFAULT_READ_TIMEOUT} (env {@code SLUICE_DELIVERY_READ_TIMEOUT})
 * @param retryDelays    the waits before the second, third... attempt; their count plus one is the number of
 *                       attempts; default {@value RetryPolicy#DEFAULT_DELAYS} (8 attempts over about a day;
 *                       env {@code SLUICE_DELIVERY_RETRY_DELAYS}, comma-separated)
 */
@ConfigurationProperties("sluice.delivery")
public record DeliveryProperties(
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue(DEFAULT_CONNECT_TIMEOUT) Duration connectTimeout,
        @DefaultValue(DEFAULT_READ_TIMEOUT) Duration readTimeout,
        @DefaultValue(RetryPolicy.DEFAULT_DELAYS) List<Duration> retryDelays) {

    public static final String DEFAULT_CONNECT_TIMEOUT = "10s";
    public static final String DEFAULT_READ_TIMEOUT = "30s";

    public DeliveryProperties {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("sluice.delivery.connect-timeout and read-timeout must be positive");
        }
        retryDelays = List.copyOf(retryDelays);
    }

    /** The retry schedule these settings describe. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retryDelays);
    }
}
