package dev.sluice.server.door;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bodies of JSON requests (creating a job, an account, a dataset, writing a record...) on every door. Inline
 * record batches and the front doors' own payloads have their limits elsewhere ({@code sluice.ingest.*}).
 *
 * @param maxJsonSize largest JSON body an endpoint reads into memory; a larger one answers 413 before it
 *     is parsed; default {@value #DEFAULT_MAX_JSON_SIZE} (env {@code SLUICE_REQUEST_MAX_JSON_SIZE})
 */
@ConfigurationProperties("sluice.request")
public record RequestBodyProperties(@DefaultValue(DEFAULT_MAX_JSON_SIZE) DataSize maxJsonSize) {

    public static final String DEFAULT_MAX_JSON_SIZE = "1MB";

    public RequestBodyProperties {
        if (maxJsonSize.toBytes() < 1 || maxJsonSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("sluice.request.max-json-size must be from 1B to 2GB, not " + maxJsonSize);
        }
    }
}
