package dev.sluice.core.verify.smtp;

import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.providers.Provider;
import java.util.List;

/**
 * Asks a domain's mail servers about recipients without sending mail: EHLO (HELO fallback), optional
 * STARTTLS, MAIL FROM, then RCPT TO for many recipients of the domain on one connection, RSET between
 * transactions, QUIT. MX hosts are tried in preference order. The catch-all probe (a random local part)
 * runs first on the same connection. 4xx answers are retried by the {@link RetryPolicy}. Per-domain
 * connection and rate limits hold across all calls on one prober. Blocking; call it from a virtual thread.
 */
public interface SmtpProber {

    /**
     * @param provider   the provider hosting the domain (its route and limits apply), or null when unknown
     * @param recipients normalized addresses, all of {@code domain}
     * @param transcript where the conversation is written, or null to keep none
     */
    DomainProbe probe(String domain, Provider provider, List<MxHost> mxHosts, List<String> recipients,
            SmtpTranscript transcript);

    /** Probes keeping no transcript. */
    default DomainProbe probe(String domain, Provider provider, List<MxHost> mxHosts, List<String> recipients) {
        return probe(domain, provider, mxHosts, recipients, null);
    }

    /** Probes a domain whose provider is unknown: only the default route and the per-domain limits apply. */
    default DomainProbe probe(String domain, List<MxHost> mxHosts, List<String> recipients) {
        return probe(domain, null, mxHosts, recipients, null);
    }
}
