package dev.sluice.core.verify;

import java.util.Locale;

/**
 * Why a verdict was given. A closed list of stable codes, one per distinguishable cause, so that users
 * can filter results and clients can act on them; new stages add constants, never reuse one.
 */
public enum Reason {

    /** Syntax, length and domain form are fine; DNS and SMTP were not run. */
    OFFLINE_CHECKS_PASSED,

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
     * The cell holds more than a bare address: a display name ({@code John <john@example.com>}), angle
     * brackets, or a comment ({@code john(work)@example.com}). Sluice does not guess which part was meant.
     */
    SYNTAX_DISPLAY_NAME,

    /** Any other syntax failure, e.g. whitespace inside the address or an explicit source route. */
    SYNTAX_INVALID;

    /** Stable snake_case code, e.g. {@code syntax_missing_at}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
