package dev.sluice.server.drop;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SFTP drop's listener.
 *
 * @param enabled whether this node runs the SFTP server; default {@value #DEFAULT_ENABLED} (env {@code SLUICE_DROP_ENABLED})
 * @param port TCP port the SFTP server listens on, 0 for any free port; default {@value #DEFAULT_PORT} (env {@code SLUICE_DROP_PORT})
 * @param host address the SFTP server binds; default {@value #DEFAULT_HOST}, every interface (env {@code SLUICE_DROP_HOST})
 * @param loginFreeFailures failed logins a source, a username or the pair may make before backoff starts; default
 *        {@value #DEFAULT_LOGIN_FREE_FAILURES} (env {@code SLUICE_DROP_LOGIN_FREE_FAILURES})
 * @param loginBackoff how long the first failure beyond the free ones locks, doubling with each further one; default
 *        {@value #DEFAULT_LOGIN_BACKOFF} (env {@code SLUICE_DROP_LOGIN_BACKOFF})
 * @param loginBackoffMax the longest lock, and how long a quiet key is remembered after its lock; default
 *        {@value #DEFAULT_LOGIN_BACKOFF_MAX} (env {@code SLUICE_DROP_LOGIN_BACKOFF_MAX})
 */
@ConfigurationProperties("sluice.drop")
public record DropProperties(
        @DefaultValue("" + DEFAULT_ENABLED) boolean enabled,
        @DefaultValue("" + DEFAULT_PORT) int port,
        @DefaultValue(DEFAULT_HOST) String host,
        @DefaultValue("" + DEFAULT_LOGIN_FREE_FAILURES) int loginFreeFailures,
        @DefaultValue(DEFAULT_LOGIN_BACKOFF) Duration loginBackoff,
        @DefaultValue(DEFAULT_LOGIN_BACKOFF_MAX) Duration loginBackoffMax) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final int DEFAULT_PORT = 2222;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_LOGIN_FREE_FAILURES = 5;
    public static final String DEFAULT_LOGIN_BACKOFF = "1s";
    public static final String DEFAULT_LOGIN_BACKOFF_MAX = "5m";
}
