package dev.sluice.core.verify.smtp;

import dev.sluice.core.verify.dns.MxHost;
import java.util.List;

/**
 * Asks a domain's mail servers about recipients without sending mail: EHLO (HELO fallback), optional
 * STARTTLS, MAIL FROM, then RCPT TO for many recipients of the domain on one connection, RSET between
 * transactions, QUIT. MX hosts are tried in preference order. The catch-all probe (a random local part)
 * runs first on the same connection. 4xx answers are retried by the {@link RetryPolicy}. Per-domain
 * connection and rate limits hold across all calls on one prober. Blocking; call it from a virtual thread.
 */
public interface SmtpProber {

    /** @param recipients normalized addresses, all of {@code domain} */
    DomainProbe probe(String domain, List<MxHost> mxHosts, List<String> recipients);

    /**
     * Probes as {@link #probe(String, List, List)} does and writes the conversation to {@code transcript}
     * (null: none kept). A prober that cannot record answers the probe and leaves the transcript empty.
     */
    default DomainProbe probe(String domain, List<MxHost> mxHosts, List<String> recipients,
            SmtpTranscript transcript) {
        return probe(domain, mxHosts, recipients);
    }
}
