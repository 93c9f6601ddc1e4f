package dev.sluice.server.drop;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SFTP drop's listener.
 *
 * @param enabled whether this node runs the SFTP server; default {@value #DEFAULT_ENABLED} (env {@code SLUICE_DROP_ENABLED})
 * @param port TCP port the SFTP server listens on, 0 for any free port; default {@value #DEFAULT_PORT} (env {@code SLUICE_DROP_PORT})
 * @param host address the SFTP server binds; default {@value #DEFAULT_HOST}, every interface (env {@code SLUICE_DROP_HOST})
 */
@ConfigurationProperties("sluice.drop")
public record DropProperties(
        @DefaultValue("" + DEFAULT_ENABLED) boolean enabled,
        @DefaultValue("" + DEFAULT_PORT) int port,
        @DefaultValue(DEFAULT_HOST) String host) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final int DEFAULT_PORT = 2222;
    public static final String DEFAULT_HOST = "0.0.0.0";
}
