package dev.sluice.server.compat.export;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bulk async export front door.
 *
 * @param retention how long an export's zipped file stays in the SFTP drop after it is complete, in whole
 *                  hours (at least 1); default {@value #DEFAULT_RETENTION}, the seed's promise (env
 *                  {@code SLUICE_COMPAT_EXPORT_RETENTION})
 */
@ConfigurationProperties("sluice.compat.export")
public record CompatExportProperties(@DefaultValue(DEFAULT_RETENTION) Duration retention) {

    public static final String DEFAULT_RETENTION = "72h";

    public CompatExportProperties {
        if (retention.toHours() < 1) {
            throw new IllegalArgumentException("sluice.compat.export.retention must be at least 1h (whole hours are "
                    + "kept), was " + retention);
        }
    }
}
