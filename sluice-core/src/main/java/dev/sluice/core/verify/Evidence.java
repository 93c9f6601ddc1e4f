package dev.sluice.core.verify;

import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.verify.smtp.RcptResult;
import java.util.Objects;

/**
 * Everything learned about one address, stage by stage. A later stage is null when it did not run
 * (disabled, or an earlier stage already decided).
 *
 * @param offline  the offline stage's verdict: syntax, normalisation, role flag
 * @param disposable the domain hands out throwaway addresses
 * @param free     the domain is a free mailbox provider
 * @param suggestion a likely intended address, or null
 * @param domain   what DNS said about the domain, or null when DNS did not run
 * @param provider the provider hosting the domain, by its MX hosts; null when DNS did not run or found none
 * @param catchAll whether the domain accepts any local part; null when unknown or not probed
 * @param rcpt     the mail server's answer to this recipient, or null when SMTP did not run
 * @param network  the state of the resolver and the SMTP egress when the network stages were due; a stage
 *                 whose instrument was broken did not run
 * @param rule     the account's own rule matching the address or its mail servers, or null
 */
public record Evidence(Verdict offline, boolean disposable, boolean free, String suggestion, MailDomain domain,
        Provider provider, Boolean catchAll, RcptResult rcpt, NetworkState network, AccountRules.Rule rule) {

    public Evidence {
        Objects.requireNonNull(network, "network");
    }

    /** Evidence no account rule matched. */
    public Evidence(Verdict offline, boolean disposable, boolean free, String suggestion, MailDomain domain,
            Provider provider, Boolean catchAll, RcptResult rcpt, NetworkState network) {
        this(offline, disposable, free, suggestion, domain, provider, catchAll, rcpt, network, null);
    }
}
