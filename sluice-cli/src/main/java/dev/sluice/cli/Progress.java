package dev.sluice.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

import dev.sluice.client.Batch;

/**
 * Progress of one batch while a command waits for it, from the server's own counters: a line redrawn in
 * place on a terminal (records done of total, percent, rate, ETA), or one parseable line per change:
 * <pre>progress job=job_01.. batch=bat_01.. status=in_progress done=40000 total=100000 percent=40.0 rate=8123 eta_s=7</pre>
 * The rate is measured by this command from the first poll that saw the batch in progress to the latest.
 */
final class Progress {

    /** How progress is shown. */
    enum Mode {
        /** One line redrawn with carriage returns. */
        BAR,
        /** One line per change in status or records done. */
        LINES,
        /** Nothing. */
        NONE
    }

    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final Mode mode;
    private final String label;
    private long firstNanos = -1;
    private long firstDone;
    private String lastStatus;
    private long lastDone = -1;
    private long lastDeferred;
    private boolean drawn;

    Progress(PrintWriter err, Mode mode, String label) {
        this.err = err;
        this.mode = mode;
        this.label = label;
    }

    /** Shows one poll's answer. */
    void update(Batch batch) {
        update(batch, System.nanoTime());
    }

    void update(Batch batch, long nowNanos) {
        String status = batch.status() == null ? "running" : batch.status().name().toLowerCase(Locale.ROOT);
        long done = batch.records() == null ? 0 : batch.records().processed();
        long total = batch.records() == null ? 0 : batch.records().total();
        // the rate counts from the first poll that saw records being processed (loading is not processing)
        if (firstNanos < 0 && (done > 0 || "in_progress".equals(status))) {
            firstNanos = nowNanos;
            firstDone = done;
        }
        double rate = 0;
        if (firstNanos >= 0 && nowNanos > firstNanos) {
            rate = (done - firstDone) / ((nowNanos - firstNanos) / 1e9);
        }
        // records waiting for a later attempt (greylisting) finish at their retry, not at the rate
        long deferred = batch.records() == null ? 0 : batch.records().deferred();
        long etaSeconds = rate > 0 && total > done + deferred ? (long) Math.ceil((total - done - deferred) / rate) : -1;
        switch (mode) {
            case BAR -> bar(status, done, total, batch.progress(), rate, etaSeconds, deferred);
            case LINES -> {
                if (!status.equals(lastStatus) || done != lastDone || deferred != lastDeferred) {
                    err.printf(Locale.ROOT,
                            "progress job=%s batch=%s status=%s done=%d total=%d percent=%.1f rate=%.0f%s%s%n",
                            batch.jobId(), batch.id(), status, done, total, batch.progress(), rate,
                            etaSeconds >= 0 ? " eta_s=" + etaSeconds : "",
                            deferred > 0 ? " deferred=" + deferred + (batch.nextRetryAt() == null ? ""
                                    : " next_retry_at=" + batch.nextRetryAt()) : "");
                    err.flush();
                }
            }
            case NONE -> {
            }
        }
        lastStatus = status;
        lastDone = done;
        lastDeferred = deferred;
    }

    /** Ends the redrawn line, so that what follows starts on a line of its own. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    private void bar(String status, long done, long total, double percent, double rate, long etaSeconds,
            long deferred) {
        int filled = (int) Math.round(Math.max(0, Math.min(100, percent)) / 100 * BAR_WIDTH);
        StringBuilder line = new StringBuilder("\r").append(label).append(" [")
                .append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%5.1f%%  %,d/%,d records", percent, done, total));
        if (rate > 0) {
            line.append(String.format(Locale.ROOT, "  %,.0f/s", rate));
        }
        if (etaSeconds >= 0) {
            line.append("  ETA ").append(clock(Duration.ofSeconds(etaSeconds)));
        }
        if (deferred > 0) {
            line.append(String.format(Locale.ROOT, "  %,d deferred (greylisting)", deferred));
        }
        line.append("  ").append(status).append("\033[K");
        err.print(line);
        err.flush();
        drawn = true;
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
