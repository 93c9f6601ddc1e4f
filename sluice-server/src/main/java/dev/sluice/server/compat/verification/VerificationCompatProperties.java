package dev.sluice.server.compat.verification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The email batch verification front door.
 *
 * @param creditsPerRecord credits charged per submitted record on first download; default
 *                         {@value #DEFAULT_CREDITS_PER_RECORD}, the seed's 25,000 credits for 5,000 records
 *                         (env {@code SLUICE_COMPAT_VERIFICATION_CREDITSPERRECORD})
 */
@ConfigurationProperties("sluice.compat.verification")
public record VerificationCompatProperties(
        @DefaultValue("" + DEFAULT_CREDITS_PER_RECORD) long creditsPerRecord) {

    public static final long DEFAULT_CREDITS_PER_RECORD = 5;

    public VerificationCompatProperties {
        if (creditsPerRecord < 0) {
            throw new IllegalArgumentException("sluice.compat.verification.credits-per-record must be 0 or more, was "
                    + creditsPerRecord);
        }
    }
}
