package dev.sluice.core.verify.dns;

/** What DNS says about where a domain's mail goes. */
public enum MailDomainStatus {
    /** MX records name the mail servers. */
    MX,
    /** No MX, but the domain has A/AAAA records: it is its own mail server (RFC 5321 section 5.1). */
    IMPLICIT_MX,
    /** A single MX with preference 0 and target "." (RFC 7505): the domain takes no mail. */
    NULL_MX,
    /** The domain exists but has neither MX nor A/AAAA records. */
    NO_MAIL_SERVER,
    /** NXDOMAIN: the domain does not exist. */
    NO_SUCH_DOMAIN,
    /** SERVFAIL, REFUSED or a broken answer. */
    FAILURE,
    /** No answer within the timeout. */
    TIMEOUT
}
