package dev.sluice.server.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every capability shares.
 *
 * @param dataDir directory holding the SQLite file and local blobs; default {@value #DEFAULT_DATA_DIR}
 *     (env {@code SLUICE_DATA_DIR})
 * @param nodeId name of this node in task claims; default: a name kept in the data directory, so a
 *     restarted node recognises its own orphaned claims (env {@code SLUICE_NODE_ID})
 * @param publicUrl base URL put in upload and download links, e.g. {@code https://sluice.example.com};
 *     default: taken from each request (env {@code SLUICE_PUBLIC_URL})
 */
@ConfigurationProperties("sluice")
public record SluiceProperties(
        @DefaultValue(DEFAULT_DATA_DIR) Path dataDir,
        String nodeId,
        String publicUrl) {

    public static final String DEFAULT_DATA_DIR = "./sluice-data";
}
