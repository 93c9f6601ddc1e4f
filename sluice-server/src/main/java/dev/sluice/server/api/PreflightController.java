package dev.sluice.server.api;

import dev.sluice.core.verify.preflight.CheckResult;
import dev.sluice.core.verify.preflight.PreflightReport;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.verify.ClusterThrottle;
import dev.sluice.server.verify.PreflightService;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node's preflight checks (admin keys only): whether the resolver and the SMTP egress its verdicts stand on
 * work, and whether its HELO name and egress address look trustworthy to mail servers.
 */
@RestController
class PreflightController {

    private final PreflightService preflight;
    private final ClusterThrottle throttle;

    PreflightController(PreflightService preflight, ClusterThrottle throttle) {
        this.preflight = preflight;
        this.throttle = throttle;
    }

    /** One check: {@code status} is {@code ok}, {@code failed} or {@code skipped}; {@code message} one sentence. */
    record CheckView(String name, String status, String message, Instant checkedAt) {
    }

    /**
     * One provider's SMTP throttle, as it stands across the cluster.
     *
     * @param provider        the provider table's name
     * @param connectionLimit connections allowed at once now (halved during a backoff); 0 for no limit
     * @param rcptPerMinute   RCPT TO allowed per minute now (halved during a backoff); 0 for no limit
     * @param inUse           connections open to the provider on every node together
     * @param backoffUntil    when the halved limits end (a 421 or "too many connections" answer), or null
     */
    record ThrottleView(String provider, int connectionLimit, int rcptPerMinute, int inUse, Instant backoffUntil) {
    }

    /**
     * @param state            {@code healthy} when no check failed, else {@code unhealthy}
     * @param enabled          false when {@code sluice.verify.preflight.enabled} is off (every check skipped)
     * @param resolverReliable false while DNS verdicts are {@code unknown / dns_unreliable}
     * @param smtpEgressOpen   false while SMTP verdicts are {@code unknown / smtp_egress_blocked}
     * @param checkedAt        when the last check was made
     * @param checks           every check, in the order they run
     * @param throttles        the providers' SMTP throttles across the cluster: every provider with a limit, and any
     *                         other holding a connection or a backoff
     */
    record PreflightView(String state, boolean enabled, boolean resolverReliable, boolean smtpEgressOpen,
            Instant checkedAt, List<CheckView> checks, List<ThrottleView> throttles) {
    }

    @Operation(summary = "This node's preflight checks (admin key)", description = """
            The resolver (canary domains have MX records, a random name does not exist), the SMTP egress (a \
            connection to a canary's mail server on the SMTP port opens), the HELO name (resolves, reverse DNS \
            matches) and the DNS blocklists. While the resolver check fails, verdicts that rest on DNS are \
            unknown / dns_unreliable; while the egress check fails, SMTP verdicts are unknown / \
            smtp_egress_blocked. `throttles` shows each provider's SMTP limits as the whole cluster holds them,             halved for a while after a 421 or "too many connections" answer.""")
    @GetMapping("/api/v1/verify/preflight")
    PreflightView report(Caller caller) {
        requireAdmin(caller);
        return view(preflight.report());
    }

    @Operation(summary = "Run this node's preflight checks now (admin key)",
            description = "Runs every check at once and answers the new report, as GET does.")
    @PostMapping("/api/v1/verify/preflight")
    PreflightView runNow(Caller caller) {
        requireAdmin(caller);
        return view(preflight.runNow());
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.account().admin()) {
            throw new ProblemException(Problem.FORBIDDEN, "only an admin key may read the preflight checks");
        }
    }

    private PreflightView view(PreflightReport report) {
        List<CheckView> checks = report.checks().stream()
                .map(r -> new CheckView(r.check().code(), r.status().code(), r.message(), r.checkedAt()))
                .toList();
        Instant checkedAt = report.checks().stream().map(CheckResult::checkedAt).max(Comparator.naturalOrder())
                .orElse(null);
        List<ThrottleView> throttles = throttle.current().entrySet().stream()
                .map(e -> new ThrottleView(e.getKey(), e.getValue().connectionLimit(), e.getValue().rcptPerMinute(),
                        e.getValue().inUse(), e.getValue().backoffUntil()))
                .toList();
        return new PreflightView(report.healthy() ? "healthy" : "unhealthy", preflight.enabled(),
                report.network().resolverReliable(), report.network().smtpEgressOpen(), checkedAt, checks, throttles);
    }
}
