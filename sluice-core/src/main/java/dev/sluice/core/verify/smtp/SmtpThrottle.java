package dev.sluice.core.verify.smtp;

import dev.sluice.core.verify.providers.Provider;

/**
 * Limits beyond one prober's own ({@code DomainLimits}): SMTP connections open at once and RCPT TO per
 * minute, per provider (from the provider table) and per domain. An implementation that keeps them in a
 * shared store holds them for every node of a cluster together. Blocking calls; run them on a virtual thread.
 * {@code provider} is null when the domain's provider is unknown (then only the domain's limits apply).
 */
public interface SmtpThrottle {

    /** No limits beyond the prober's own. */
    SmtpThrottle NONE = new SmtpThrottle() {
        @Override
        public Runnable acquireConnection(Provider provider, String domain) {
            return () -> { };
        }

        @Override
        public int acquireRcpts(Provider provider, String domain, int wanted) {
            return wanted;
        }

        @Override
        public void throttled(Provider provider, String domain) {
            // nothing is shared, nothing to slow down
        }
    };

    /**
     * Blocks until one more connection to {@code domain} may be opened; answers the action that gives the slot
     * back (calling it twice is harmless).
     */
    Runnable acquireConnection(Provider provider, String domain) throws InterruptedException;

    /** Blocks until RCPT TO may be sent to {@code domain}; answers how many, 1 to {@code wanted}. */
    int acquireRcpts(Provider provider, String domain, int wanted) throws InterruptedException;

    /** The server answered 421 or "too many connections": slow the provider (or the domain) down for a while. */
    void throttled(Provider provider, String domain);
}
