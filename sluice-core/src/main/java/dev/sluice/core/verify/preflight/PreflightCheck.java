package dev.sluice.core.verify.preflight;

import java.util.Locale;

/** The checks preflight makes, in the order it makes them. */
public enum PreflightCheck {

    /** The resolver: every canary domain has MX records, and a random name under a canary does not exist. */
    RESOLVER,

    /** A connection to a canary's mail server on the SMTP port opens (directly or through the proxy). */
    SMTP_EGRESS,

    /** The HELO name resolves, and the reverse DNS of its addresses (and of the egress address) names it. */
    HELO_NAME,

    /** The egress address is on none of the DNS blocklists ({@code sluice.verify.smtp.dnsbl}). */
    BLOCKLISTS;

    /** Stable snake_case code, e.g. {@code smtp_egress}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
