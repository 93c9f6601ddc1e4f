package dev.sluice.server.ingest;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fetching source URIs (http, https, ftp) from the server.
 *
 * @param allow   hosts or IP addresses that may be fetched even though they are loopback, private or
 *                link-local (refused otherwise); default none (env {@code SLUICE_FETCH_ALLOW}, comma-separated)
 * @param timeout connect and read timeout; default 30s (env {@code SLUICE_FETCH_TIMEOUT})
 */
@ConfigurationProperties("sluice.fetch")
public record FetchProperties(
        @DefaultValue("") List<String> allow,
        @DefaultValue("30s") Duration timeout) {
}
