package dev.sluice.core.verify;

import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.smtp.RcptResult;

/**
 * Everything learned about one address, stage by stage. A later stage is null when it did not run
 * (disabled, or an earlier stage already decided).
 *
 * @param offline  the offline stage's verdict: syntax, normalisation, role flag
 * @param disposable the domain hands out throwaway addresses
 * @param free     the domain is a free mailbox provider
 * @param suggestion a likely intended address, or null
 * @param domain   what DNS said about the domain, or null when DNS did not run
 * @param catchAll whether the domain accepts any local part; null when unknown or not probed
 * @param rcpt     the mail server's answer to this recipient, or null when SMTP did not run
 * @param rule     the account's own rule matching the address or its mail servers, or null
 */
public record Evidence(Verdict offline, boolean disposable, boolean free, String suggestion, MailDomain domain,
        Boolean catchAll, RcptResult rcpt, AccountRules.Rule rule) {

    /** Evidence no account rule matched. */
    public Evidence(Verdict offline, boolean disposable, boolean free, String suggestion, MailDomain domain,
            Boolean catchAll, RcptResult rcpt) {
        this(offline, disposable, free, suggestion, domain, catchAll, rcpt, null);
    }
}
