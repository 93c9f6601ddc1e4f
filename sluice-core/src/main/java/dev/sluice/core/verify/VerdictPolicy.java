package dev.sluice.core.verify;

import dev.sluice.core.verify.dns.MailDomain;

/**
 * The one place that turns evidence into a verdict. Pure: no I/O, no clock, the same evidence always
 * gives the same verdict. Stages are read in pipeline order and the first definitive one decides.
 *
 * <ul>
 *   <li>bad syntax: {@code invalid} with the syntax reason;</li>
 *   <li>an account rule matched: its status, reason {@code account_rule} (the account knows better than
 *       the lists and the network);</li>
 *   <li>disposable domain: {@code invalid} / {@code disposable} (a throwaway inbox is not a contact);</li>
 *   <li>an unreliable resolver: {@code unknown} / {@code dns_unreliable} for everything DNS would decide
 *       (evidence from a broken instrument is no evidence: never {@code invalid} / {@code no_such_domain});</li>
 *   <li>DNS: no such domain, null MX, no mail server are {@code invalid}; timeouts and failures {@code unknown};</li>
 *   <li>no SMTP evidence: {@code valid} / {@code domain_accepts_mail} (or {@code offline_checks_passed}
 *       when DNS did not run either);</li>
 *   <li>SMTP: accepted is {@code valid}, or {@code accept_all} / {@code catch_all} on a catch-all domain, or
 *       {@code accept_all} / {@code provider_accepts_all} at a provider whose RCPT answers mean nothing
 *       (unless the catch-all probe was refused: then the domain does tell mailboxes apart);
 *       unknown user, full or disabled mailbox are {@code invalid}; anything temporary, a policy refusal,
 *       a timeout or an unreachable server is {@code unknown}; so is a domain whose every mail server
 *       address the server may not connect to ({@code mx_address_not_allowed}: nothing was asked);</li>
 *   <li>no answer from DNS or SMTP by a single-address check's deadline: {@code unknown} / {@code timeout}
 *       ({@link #timedOut}).</li>
 *   <li>a blocked SMTP egress: {@code unknown} / {@code smtp_egress_blocked} where SMTP would have decided
 *       (a catch-all domain known from before stays {@code accept_all}).</li>
 * </ul>
 */
public final class VerdictPolicy {

    private VerdictPolicy() {
    }

    /**
     * The verdict of an address whose network stages did not answer before the caller's deadline (a
     * single-address check): {@code unknown} / {@code timeout}, with the offline stage's flags. An address the
     * offline evidence already decides (bad syntax, disposable) keeps that verdict.
     */
    public static Verdict timedOut(Evidence offline) {
        Verdict decided = decide(new Evidence(offline.offline(), offline.disposable(), offline.free(),
                offline.suggestion(), null, null, null, null, NetworkState.HEALTHY));
        return decided.status() == VerdictStatus.INVALID ? decided
                : decided.with(VerdictStatus.UNKNOWN, Reason.TIMEOUT);
    }

    public static Verdict decide(Evidence evidence) {
        Verdict offline = evidence.offline();
        if (offline.status() == VerdictStatus.INVALID) {
            return offline;
        }
        Verdict flagged = new Verdict(offline.status(), offline.reason(), offline.normalized(), offline.role(),
                evidence.disposable(), evidence.free(), evidence.suggestion(), offline.cached(),
                evidence.provider() == null ? null : evidence.provider().name());
        if (evidence.rule() != null) {
            return flagged.with(evidence.rule().status(), Reason.ACCOUNT_RULE);
        }
        if (evidence.disposable()) {
            return flagged.with(VerdictStatus.INVALID, Reason.DISPOSABLE);
        }
        if (!evidence.network().resolverReliable()) {
            return flagged.with(VerdictStatus.UNKNOWN, Reason.DNS_UNRELIABLE);
        }
        MailDomain domain = evidence.domain();
        if (domain == null) {
            return flagged.with(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED);
        }
        switch (domain.status()) {
            case NO_SUCH_DOMAIN -> {
                return flagged.with(VerdictStatus.INVALID, Reason.NO_SUCH_DOMAIN);
            }
            case NULL_MX -> {
                return flagged.with(VerdictStatus.INVALID, Reason.NULL_MX);
            }
            case NO_MAIL_SERVER -> {
                return flagged.with(VerdictStatus.INVALID, Reason.NO_MAIL_SERVER);
            }
            case TIMEOUT -> {
                return flagged.with(VerdictStatus.UNKNOWN, Reason.DNS_TIMEOUT);
            }
            case FAILURE -> {
                return flagged.with(VerdictStatus.UNKNOWN, Reason.DNS_FAILURE);
            }
            case MX, IMPLICIT_MX -> {
                // deliverable domain: the SMTP stage decides
            }
        }
        if (evidence.rcpt() == null) {
            if (Boolean.TRUE.equals(evidence.catchAll())) {
                return flagged.with(VerdictStatus.ACCEPT_ALL, Reason.CATCH_ALL);
            }
            if (!evidence.network().smtpEgressOpen()) {
                return flagged.with(VerdictStatus.UNKNOWN, Reason.SMTP_EGRESS_BLOCKED);
            }
            return flagged.with(VerdictStatus.VALID, Reason.DOMAIN_ACCEPTS_MAIL);
        }
        return switch (evidence.rcpt().outcome()) {
            case ACCEPTED -> accepted(flagged, evidence);
            case MAILBOX_NOT_FOUND -> flagged.with(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND);
            case MAILBOX_FULL -> flagged.with(VerdictStatus.INVALID, Reason.MAILBOX_FULL);
            case MAILBOX_DISABLED -> flagged.with(VerdictStatus.INVALID, Reason.MAILBOX_DISABLED);
            case REJECTED -> flagged.with(VerdictStatus.UNKNOWN, Reason.SMTP_REJECTED);
            case GREYLISTED -> flagged.with(VerdictStatus.UNKNOWN, Reason.GREYLISTED);
            case TEMPORARY_FAILURE -> flagged.with(VerdictStatus.UNKNOWN, Reason.SMTP_TEMPORARY_FAILURE);
            case TIMEOUT -> flagged.with(VerdictStatus.UNKNOWN, Reason.SMTP_TIMEOUT);
            case UNREACHABLE -> flagged.with(VerdictStatus.UNKNOWN, Reason.SMTP_UNREACHABLE);
            case PROTOCOL_ERROR -> flagged.with(VerdictStatus.UNKNOWN, Reason.SMTP_PROTOCOL_ERROR);
            case ADDRESS_NOT_ALLOWED -> flagged.with(VerdictStatus.UNKNOWN, Reason.MX_ADDRESS_NOT_ALLOWED);
            case PROXY_FAILED -> flagged.with(VerdictStatus.UNKNOWN, Reason.PROXY_FAILED);
        };
    }

    private static Verdict accepted(Verdict flagged, Evidence evidence) {
        if (Boolean.TRUE.equals(evidence.catchAll())) {
            return flagged.with(VerdictStatus.ACCEPT_ALL, Reason.CATCH_ALL);
        }
        boolean meaningless = evidence.provider() != null && evidence.provider().rcptMeaningless();
        if (meaningless && !Boolean.FALSE.equals(evidence.catchAll())) {
            return flagged.with(VerdictStatus.ACCEPT_ALL, Reason.PROVIDER_ACCEPTS_ALL);
        }
        return flagged.with(VerdictStatus.VALID, Reason.ACCEPTED);
    }
}
