package dev.sluice.core.verify;

import java.util.Objects;

/**
 * The outcome of verifying one address.
 *
 * @param status     what users act on
 * @param reason     why, as a closed code
 * @param normalized the address as Sluice would mail it (trimmed, domain lower-case ASCII); {@code null}
 *                   when the address is invalid
 * @param role       whether the local part names a function (info@, support@) rather than a person
 */
public record Verdict(VerdictStatus status, Reason reason, String normalized, boolean role) {

    public Verdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    static Verdict invalid(Reason reason) {
        return new Verdict(VerdictStatus.INVALID, reason, null, false);
    }
}
