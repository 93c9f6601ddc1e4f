package dev.sluice.core.verify;

import java.util.Objects;

/**
 * The outcome of verifying one address.
 *
 * @param status     what users act on
 * @param reason     why, as a closed code
 * @param normalized the address as Sluice would mail it (trimmed, domain lower-case ASCII); {@code null}
 *                   when the address is not even well formed
 * @param role       the local part names a function (info@, support@) rather than a person
 * @param disposable the domain hands out throwaway addresses
 * @param free       the domain is a free mailbox provider (gmail.com, outlook.com...)
 * @param suggestion a likely intended address when the domain looks like a typo ({@code gmial.com}), else null
 * @param cached     the answer came from the verification cache, with no network traffic
 * @param provider   the mail provider hosting the domain, by its MX hosts ({@code google}, {@code other}...);
 *                   null when DNS did not run or found no mail server
 */
public record Verdict(VerdictStatus status, Reason reason, String normalized, boolean role, boolean disposable,
        boolean free, String suggestion, boolean cached, String provider) {

    public Verdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    /** A verdict without list flags, suggestion, cache mark or provider. */
    public Verdict(VerdictStatus status, Reason reason, String normalized, boolean role) {
        this(status, reason, normalized, role, false, false, null, false, null);
    }

    /** A verdict without a provider (DNS did not run). */
    public Verdict(VerdictStatus status, Reason reason, String normalized, boolean role, boolean disposable,
            boolean free, String suggestion, boolean cached) {
        this(status, reason, normalized, role, disposable, free, suggestion, cached, null);
    }

    static Verdict invalid(Reason reason) {
        return new Verdict(VerdictStatus.INVALID, reason, null, false);
    }

    /** The same verdict marked as served from the cache. */
    public Verdict asCached() {
        return new Verdict(status, reason, normalized, role, disposable, free, suggestion, true, provider);
    }

    /** The same verdict with another status and reason, keeping the flags. */
    public Verdict with(VerdictStatus newStatus, Reason newReason) {
        return new Verdict(newStatus, newReason, normalized, role, disposable, free, suggestion, cached, provider);
    }
}
