package dev.sluice.core.verify.providers;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A mail provider and what Sluice assumes about it. Limits hold for the provider as a whole (all its
 * domains, all nodes), on top of the per-domain limits.
 *
 * @param name            stable lower-case name, e.g. {@code google}; {@value ProviderTable#OTHER} for the rest
 * @param maxConnections  SMTP connections open at once to the provider; 0 for no provider-wide limit
 * @param rcptPerMinute   RCPT TO per minute to the provider; 0 for no limit
 * @param rcptMeaningless the provider accepts every recipient and bounces later, so an accepted RCPT TO says
 *                        nothing about the mailbox
 */
public record Provider(String name, int maxConnections, int rcptPerMinute, boolean rcptMeaningless) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    public Provider {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name must be 1..40 of a-z 0-9 _ - (lower case), was '"
                    + name + "'");
        }
        if (maxConnections < 0 || rcptPerMinute < 0) {
            throw new IllegalArgumentException("provider " + name + ": limits must be 0 (none) or more");
        }
    }
}
