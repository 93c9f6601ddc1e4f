package dev.sluice.core.verify;

import java.util.Locale;

/**
 * Why a verdict was given. A closed list of stable codes, one per distinguishable cause, so that users
 * can filter results and clients can act on them; new stages add constants, never reuse one.
 */
public enum Reason {

    /** Syntax, length and domain form are fine; DNS and SMTP were not run. */
    OFFLINE_CHECKS_PASSED,

    /** The domain has mail servers; SMTP was not run (disabled), so the mailbox itself is unchecked. */
    DOMAIN_ACCEPTS_MAIL,

    /** A mail server of the domain accepted the recipient, and the domain is not catch-all. */
    ACCEPTED,

    /** The domain accepts mail for any local part (a random one was accepted), so this one proves nothing. */
    CATCH_ALL,

    /**
     * The mail server accepted the recipient, but the domain's provider (by its MX hosts, see the provider
     * table) accepts every recipient and bounces later, so the answer proves nothing; a catch-all probe the
     * server refused would have shown otherwise.
     */
    PROVIDER_ACCEPTS_ALL,

    /** The domain does not exist (DNS NXDOMAIN). */
    NO_SUCH_DOMAIN,

    /** The domain says it takes no mail at all (RFC 7505 null MX). */
    NULL_MX,

    /** The domain exists but has neither MX nor A/AAAA records to deliver to. */
    NO_MAIL_SERVER,

    /** The DNS servers did not answer in time. */
    DNS_TIMEOUT,

    /** The DNS servers failed to answer (SERVFAIL or a broken reply). */
    DNS_FAILURE,

    /** The mail server refused the recipient as unknown (550 5.1.1 and the like). */
    MAILBOX_NOT_FOUND,

    /** The mailbox exists but is over its quota (552, 5.2.2 / 4.2.2). */
    MAILBOX_FULL,

    /** The mailbox exists but is disabled or not accepting mail (5.2.1). */
    MAILBOX_DISABLED,

    /** The mail server refused the recipient for another reason (policy, blocked sender); no conclusion. */
    SMTP_REJECTED,

    /** The mail server kept answering "try again later" (greylisting) after every retry. */
    GREYLISTED,

    /** The mail server was busy (421) or failed temporarily after every retry. */
    SMTP_TEMPORARY_FAILURE,

    /** The mail server stopped answering within the read timeout. */
    SMTP_TIMEOUT,

    /** No mail server of the domain could be connected to. */
    SMTP_UNREACHABLE,

    /** The mail server broke the protocol or dropped the connection. */
    SMTP_PROTOCOL_ERROR,

    /**
     * Every mail server of the domain resolves to an address the server may not connect to (loopback,
     * private, link-local...; an operator can allow one with {@code sluice.verify.smtp.allow}), so no SMTP
     * conversation was held and the mailbox is unchecked.
     */
    MX_ADDRESS_NOT_ALLOWED,

    /**
     * The SOCKS5 proxy the SMTP stage goes through ({@code sluice.verify.smtp.proxy}) could not be reached,
     * refused the user name and password, or refused to connect to the mail server: no SMTP conversation was
     * held, so the mailbox is unchecked (a problem of the egress, never of the address).
     */
    PROXY_FAILED,

    /**
     * A single-address check ({@code POST /api/v1/verify}) reached its deadline before DNS and SMTP answered:
     * the mailbox is unchecked. The check goes on in the background, so asking again soon may find its
     * verdict in the cache. Never given to a record of a job, which waits for every stage.
     */
    TIMEOUT,

    /**
     * The resolver is unreliable (the preflight check found it calling a well-known canary domain missing,
     * or answering a random name that cannot exist), so DNS was not asked: nothing is known about the domain.
     * A problem of this server's network, never of the address; the stage resumes when a later check passes.
     */
    DNS_UNRELIABLE,

    /**
     * Outbound connections to mail servers on the SMTP port are blocked here (the preflight check could open
     * none to the canaries' mail servers, directly or through the proxy), so the SMTP stage was skipped and the
     * mailbox is unchecked. A problem of this server's network; the stage resumes when a later check passes.
     */
    SMTP_EGRESS_BLOCKED,

    /** The domain hands out throwaway addresses. */
    DISPOSABLE,

    /**
     * The account's own rule ({@code PUT /api/v1/verify/rules}) decided the status: it matched the address, its
     * domain, its top-level domain or one of its mail servers, and no further check was run.
     */
    ACCOUNT_RULE,

    /** The cell is blank or whitespace only. */
    EMPTY,

    /** There is no {@code @} in the address. */
    SYNTAX_MISSING_AT,

    /**
     * The part before the {@code @} is malformed: missing, leading/trailing or doubled dots, characters
     * that need quoting, an unescaped quote, a second {@code @}, an encoded word, or a quoted local part
     * (legal in RFC 5321 but refused by the mail services bulk senders use).
     */
    SYNTAX_LOCAL_PART,

    /**
     * The part after the {@code @} is malformed: missing, no top-level domain (bulk mail needs a public
     * domain), a one-character or numeric top-level domain, a label starting or ending with a dash, a label
     * over 63 characters, a bad character, doubled or trailing dots, or an IDN that does not convert to ASCII.
     */
    SYNTAX_DOMAIN,

    /** Over an RFC 5321 limit: 64 octets of local part, 255 of domain, 254 for the whole address. */
    SYNTAX_TOO_LONG,

    /** The domain is an IP literal such as {@code [192.0.2.1]}: refused for bulk mail. */
    SYNTAX_IP_LITERAL,

    /**
     * The domain is not under a public suffix: an unknown top-level domain ({@code .c0m}, {@code .local})
     * or a bare suffix ({@code co.uk}). No mail can be delivered there from the internet.
     */
    NO_PUBLIC_SUFFIX,

    /**
     * The cell holds more than a bare address: a display name ({@code John <john@example.com>}), angle
     * brackets, or a comment ({@code john(work)@example.com}). Sluice does not guess which part was meant.
     */
    SYNTAX_DISPLAY_NAME,

    /** Any other syntax failure, e.g. whitespace inside the address or an explicit source route. */
    SYNTAX_INVALID;

    /** Computed once: it is written on every result row. */
    private final String code = name().toLowerCase(Locale.ROOT);

    /** Stable snake_case code, e.g. {@code syntax_missing_at}. */
    public String code() {
        return code;
    }
}
