package dev.sluice.core.verify;

/**
 * What a verdict is worth to a sender: a score from 0 to 100 and a yes/no "safe to send". Pure, like
 * {@link VerdictPolicy}, and read only from the verdict, so a result row, a single-address check and a
 * cached answer always agree. The status and reason stay the verdict; the score only ranks within them.
 *
 * <p>The weights are those of a careful mail operator (the README's "Score and safe to send" has the table):
 * <ul>
 *   <li>{@code valid}: {@value #MAILBOX_ACCEPTED} when a mail server accepted the mailbox,
 *       {@value #DOMAIN_ONLY} when only DNS ran (the domain takes mail, the mailbox is unchecked),
 *       {@value #SYNTAX_ONLY} when only the offline checks ran;</li>
 *   <li>then minus {@value #ROLE_PENALTY} for a role address (shared inboxes complain and unsubscribe more),
 *       {@value #FREE_PENALTY} for a free mailbox (more abandoned accounts) and {@value #TYPO_PENALTY} when
 *       the domain looks like a typo of a known one (a typo domain that takes mail is a likely trap);</li>
 *   <li>{@code accept_all}: {@value #ACCEPT_ALL}, a coin toss, minus the role penalty;</li>
 *   <li>{@code unknown}: 20 to 40 by reason, higher when the cause is temporary or ours (greylisting, our
 *       own deadline or egress) than when the domain's servers are broken;</li>
 *   <li>{@code invalid}: 0, a full mailbox 10 (it exists and may be emptied), a disposable domain 5.</li>
 * </ul>
 */
public final class VerdictScore {

    /** The highest score; the lowest is 0. */
    public static final int MAX = 100;
    /** A mail server accepted this mailbox and the domain is not catch-all. */
    static final int MAILBOX_ACCEPTED = 95;
    /** The domain takes mail (DNS ran), SMTP did not. */
    static final int DOMAIN_ONLY = 75;
    /** Only syntax, lists and the public suffix were checked. */
    static final int SYNTAX_ONLY = 60;
    /** A domain that accepts every recipient. */
    static final int ACCEPT_ALL = 50;
    static final int ROLE_PENALTY = 15;
    static final int FREE_PENALTY = 5;
    static final int TYPO_PENALTY = 20;
    /** An unknown verdict whose reason has no weight of its own (a reason added later). */
    static final int UNKNOWN = 30;

    private VerdictScore() {
    }

    /** The verdict's score, 0 (do not send) to 100 (send). */
    public static int score(Verdict verdict) {
        int score = switch (verdict.status()) {
            case VALID -> valid(verdict);
            case ACCEPT_ALL -> ACCEPT_ALL - (verdict.role() ? ROLE_PENALTY : 0);
            case UNKNOWN -> unknown(verdict.reason());
            case INVALID -> invalid(verdict.reason());
        };
        return Math.clamp(score, 0, MAX);
    }

    /**
     * Whether a sender may mail the address without a second thought: {@code valid}, not a role address and
     * not disposable. An address on a provider that accepts every recipient is {@code accept_all}, never
     * {@code valid}, so it is never safe.
     */
    public static boolean safeToSend(Verdict verdict) {
        return verdict.status() == VerdictStatus.VALID && !verdict.role() && !verdict.disposable();
    }

    private static int valid(Verdict verdict) {
        int base = switch (verdict.reason()) {
            case ACCEPTED -> MAILBOX_ACCEPTED;
            case DOMAIN_ACCEPTS_MAIL -> DOMAIN_ONLY;
            default -> SYNTAX_ONLY;
        };
        return base - (verdict.role() ? ROLE_PENALTY : 0) - (verdict.free() ? FREE_PENALTY : 0)
                - (verdict.suggestion() != null ? TYPO_PENALTY : 0);
    }

    private static int unknown(Reason reason) {
        return switch (reason) {
            case GREYLISTED -> 40;
            case SMTP_TEMPORARY_FAILURE, MX_ADDRESS_NOT_ALLOWED, PROXY_FAILED, TIMEOUT, DNS_UNRELIABLE,
                 SMTP_EGRESS_BLOCKED -> 35;
            case SMTP_TIMEOUT, SMTP_REJECTED -> 30;
            case SMTP_PROTOCOL_ERROR, DNS_TIMEOUT -> 25;
            case SMTP_UNREACHABLE, DNS_FAILURE -> 20;
            default -> UNKNOWN;
        };
    }

    private static int invalid(Reason reason) {
        return switch (reason) {
            case MAILBOX_FULL -> 10;
            case DISPOSABLE -> 5;
            default -> 0;
        };
    }
}
