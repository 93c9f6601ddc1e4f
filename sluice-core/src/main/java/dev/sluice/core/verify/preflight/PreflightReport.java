package dev.sluice.core.verify.preflight;

import dev.sluice.core.verify.NetworkState;
import java.util.List;

/** The answers of one preflight run, one per {@link PreflightCheck}, in check order. */
public record PreflightReport(List<CheckResult> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed. */
    public boolean healthy() {
        return checks.stream().noneMatch(CheckResult::failed);
    }

    /** The answer of {@code check}. */
    public CheckResult result(PreflightCheck check) {
        return checks.stream().filter(r -> r.check() == check).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no answer for " + check));
    }

    /**
     * What the verification engine's gate answers: the resolver is unreliable when its check failed, the
     * egress blocked when its check failed; a skipped check doubts nothing.
     */
    public NetworkState network() {
        return new NetworkState(!result(PreflightCheck.RESOLVER).failed(),
                !result(PreflightCheck.SMTP_EGRESS).failed());
    }
}
