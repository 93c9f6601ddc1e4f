package dev.sluice.server.compat.append;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The email-append front door.
 *
 * @param tokenTtl how long a token from {@code POST /{version}/authorization} is accepted; default
 *                 {@value #DEFAULT_TOKEN_TTL} (env {@code SLUICE_COMPAT_APPEND_TOKENTTL})
 * @param dataset  the account's dataset the emails are appended from, created on first use with the columns
 *                 {@code first_name, last_name, address, city, state, zip, email}; default
 *                 {@value #DEFAULT_DATASET} (env {@code SLUICE_COMPAT_APPEND_DATASET})
 */
@ConfigurationProperties("sluice.compat.append")
public record CompatAppendProperties(
        @DefaultValue(DEFAULT_TOKEN_TTL) Duration tokenTtl,
        @DefaultValue(DEFAULT_DATASET) String dataset) {

    public static final String DEFAULT_TOKEN_TTL = "1h";
    public static final String DEFAULT_DATASET = "email_append";

    public CompatAppendProperties {
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("sluice.compat.append.token-ttl must be positive, was " + tokenTtl);
        }
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("sluice.compat.append.dataset must name a dataset");
        }
    }
}
