package dev.sluice.core.verify.preflight;

import java.util.Locale;

/** What a preflight check found. */
public enum CheckStatus {

    /** The instrument works. */
    OK,

    /** The instrument is broken; the sentence says how. */
    FAILED,

    /** The check was not made (its stage is disabled, or what it needs is unknown); the sentence says why. */
    SKIPPED;

    /** Stable lower-case code, e.g. {@code failed}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
