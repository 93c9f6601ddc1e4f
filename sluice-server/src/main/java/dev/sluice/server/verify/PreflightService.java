package dev.sluice.server.verify;

import dev.sluice.core.verify.NetworkHealth;
import dev.sluice.core.verify.NetworkState;
import dev.sluice.core.verify.preflight.CheckResult;
import dev.sluice.core.verify.preflight.CheckStatus;
import dev.sluice.core.verify.preflight.Preflight;
import dev.sluice.core.verify.preflight.PreflightCheck;
import dev.sluice.core.verify.preflight.PreflightReport;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's preflight: runs the core's {@link Preflight} checks at start, then every {@code
 * sluice.verify.preflight.unhealthy-interval} while a check fails and every {@code healthy-interval} while none
 * does, and on demand ({@link #runNow()}). It is the verification engine's {@link NetworkHealth} gate: until the
 * first run has finished the engine waits, so no verdict is given on an unchecked network. The checks are per
 * node (each node has its own resolver and egress), so nothing is kept in the store.
 *
 * <p>At start it logs one line per failed check (the start-up banner's {@code verify} row summarises every
 * check: {@link #summary()}), then one line whenever a check changes status.
 */
public final class PreflightService implements NetworkHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PreflightService.class);

    private final Preflight preflight;
    private final VerifyProperties.Preflight settings;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> firstRun = new CompletableFuture<>();
    private volatile PreflightReport last;

    /** @param preflight the checks, or null when preflight is disabled: then nothing runs and nothing is doubted */
    PreflightService(Preflight preflight, VerifyProperties.Preflight settings, Clock clock) {
        this.preflight = preflight;
        this.settings = settings;
        this.clock = clock;
        if (preflight == null) {
            this.last = allSkipped("Preflight is disabled (sluice.verify.preflight.enabled=false).");
            this.timer = null;
            firstRun.complete(null);
        } else {
            this.timer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("sluice-preflight").factory());
            timer.execute(this::scheduledRun);
        }
    }

    /**
     * The last report; waits for the first run when it has not finished yet (a first run that could not be
     * made answers every check skipped, so nothing is doubted and the log says why).
     */
    public PreflightReport report() {
        firstRun.join();
        return last;
    }

    /**
     * One line for the start-up banner, once the first run has finished: {@code off}, {@code all checks
     * skipped}, or each check with its status ({@code resolver failed, smtp_egress skipped, ...}).
     */
    public String summary() {
        PreflightReport report = report();
        if (preflight == null) {
            return "off (sluice.verify.preflight.enabled=false)";
        }
        if (report.checks().stream().allMatch(r -> r.status() == CheckStatus.SKIPPED)) {
            return "all checks skipped";
        }
        return report.checks().stream().map(r -> r.check().code() + " " + r.status().code())
                .collect(Collectors.joining(", "));
    }

    /** True when the checks run here (sluice.verify.preflight.enabled). */
    public boolean enabled() {
        return preflight != null;
    }

    @Override
    public NetworkState state() {
        return report().network();
    }

    /** Runs every check now and answers the new report (the disabled report when preflight is off). */
    public synchronized PreflightReport runNow() {
        if (preflight == null) {
            return last;
        }
        PreflightReport previous = last;
        PreflightReport report = preflight.run();
        last = report;
        if (previous == null) {
            logFirst(report);
        } else {
            logChanges(previous, report);
        }
        return report;
    }

    private void scheduledRun() {
        Duration next = settings.unhealthyInterval();
        try {
            next = runNow().healthy() ? settings.healthyInterval() : settings.unhealthyInterval();
        } catch (RuntimeException e) {
            log.warn("preflight: the checks failed to run ({}); trying again in {}", e.toString(), next);
            if (last == null) {
                last = allSkipped("The preflight checks could not run (" + e.getClass().getSimpleName()
                        + "); they are tried again in " + next + ".");
            }
        } finally {
            firstRun.complete(null);
        }
        try {
            timer.schedule(this::scheduledRun, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed while this run was under way: the node is stopping
        }
    }

    private static void logFirst(PreflightReport report) {
        report.checks().stream().filter(CheckResult::failed)
                .forEach(r -> log.warn("preflight: {} failed: {}", r.check().code(), r.message()));
    }

    private static void logChanges(PreflightReport previous, PreflightReport report) {
        for (CheckResult now : report.checks()) {
            if (previous.result(now.check()).status() != now.status()) {
                if (now.failed()) {
                    log.warn("preflight: {} failed: {}", now.check().code(), now.message());
                } else {
                    log.info("preflight: {} is now {}: {}", now.check().code(), now.status().code(), now.message());
                }
            }
        }
    }

    private PreflightReport allSkipped(String message) {
        List<CheckResult> skipped = Arrays.stream(PreflightCheck.values())
                .map(check -> new CheckResult(check, CheckStatus.SKIPPED, message, clock.instant()))
                .toList();
        return new PreflightReport(skipped);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
