package dev.sluice.core.verify.preflight;

import java.time.Instant;
import java.util.Objects;

/**
 * One check's answer.
 *
 * @param check     which check
 * @param status    what it found
 * @param message   one sentence saying what was found and, when failed, what to do
 * @param checkedAt when it was made
 */
public record CheckResult(PreflightCheck check, CheckStatus status, String message, Instant checkedAt) {

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /** True when the check found its instrument broken. */
    public boolean failed() {
        return status == CheckStatus.FAILED;
    }
}
