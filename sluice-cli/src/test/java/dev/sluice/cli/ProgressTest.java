package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.sluice.client.Batch;
import dev.sluice.client.BatchStatus;
import dev.sluice.client.RecordCounts;

/** What the progress display prints for a sequence of polls, with the poll times given. */
class ProgressTest {

    private static final long SECOND = 1_000_000_000L;

    private static Batch batch(BatchStatus status, long done, long total) {
        return new Batch("bat_1", "job_1", status, "upload", new RecordCounts(total, done, done, 0, 0, 0, 0, 0, 0),
                total == 0 ? 0 : 100.0 * done / total, null, null, null, null, null, null);
    }

    @Test
    void lines_mode_prints_one_parseable_line_per_change_with_rate_and_eta() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), Progress.Mode.LINES, "verify");

        progress.update(batch(BatchStatus.LOADING, 0, 0), 0);
        progress.update(batch(BatchStatus.IN_PROGRESS, 0, 1000), SECOND);
        progress.update(batch(BatchStatus.IN_PROGRESS, 0, 1000), 2 * SECOND);
        progress.update(batch(BatchStatus.IN_PROGRESS, 400, 1000), 3 * SECOND);
        progress.update(batch(BatchStatus.COMPLETED, 1000, 1000), 6 * SECOND);

        assertThat(err.toString().lines().toList()).containsExactly(
                "progress job=job_1 batch=bat_1 status=loading done=0 total=0 percent=0.0 rate=0",
                "progress job=job_1 batch=bat_1 status=in_progress done=0 total=1000 percent=0.0 rate=0",
                "progress job=job_1 batch=bat_1 status=in_progress done=400 total=1000 percent=40.0 rate=200 eta_s=3",
                "progress job=job_1 batch=bat_1 status=completed done=1000 total=1000 percent=100.0 rate=200");
    }

    @Test
    void deferred_records_show_with_their_next_retry_and_leave_the_eta_out() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), Progress.Mode.LINES, "verify");
        java.time.Instant retry = java.time.Instant.parse("2026-11-23T08:05:00Z");

        progress.update(batch(BatchStatus.IN_PROGRESS, 0, 10), 0);
        progress.update(new Batch("bat_1", "job_1", BatchStatus.IN_PROGRESS, "upload",
                new RecordCounts(10, 8, 8, 0, 0, 0, 0, 0, 0, 2, 0), 80.0, null, null, null, null, null, null, retry, null),
                SECOND);

        assertThat(err.toString().lines().toList()).containsExactly(
                "progress job=job_1 batch=bat_1 status=in_progress done=0 total=10 percent=0.0 rate=0",
                "progress job=job_1 batch=bat_1 status=in_progress done=8 total=10 percent=80.0 rate=8 deferred=2"
                        + " next_retry_at=2026-11-23T08:05:00Z");
    }

    @Test
    void bar_mode_redraws_one_line_and_ends_it() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), Progress.Mode.BAR, "verify");

        progress.update(batch(BatchStatus.IN_PROGRESS, 0, 1000), 0);
        progress.update(batch(BatchStatus.IN_PROGRESS, 500, 1000), 10 * SECOND);
        progress.finish();

        assertThat(err.toString()).startsWith("\rverify [....").contains(
                "\rverify [############............]  50.0%  500/1,000 records  50/s  ETA 0:10  in_progress\033[K")
                .endsWith(System.lineSeparator());
    }

    @Test
    void none_mode_prints_nothing() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), Progress.Mode.NONE, "verify");

        progress.update(batch(BatchStatus.COMPLETED, 1, 1), 0);
        progress.finish();

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void clock_shows_minutes_and_hours() {
        assertThat(Progress.clock(Duration.ofSeconds(75))).isEqualTo("1:15");
        assertThat(Progress.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }
}
