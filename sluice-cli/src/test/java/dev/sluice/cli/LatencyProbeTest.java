package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading {@code wrk --latency}'s report, in the units it chooses per line. */
class LatencyProbeTest {

    @Test
    void percentiles_are_read_in_milliseconds_whatever_unit_wrk_printed() {
        // given
        List<String> report = List.of(
                "Running 10h test @ http://127.0.0.1:8080/api/v1/jobs/job_1",
                "  1 threads and 50 connections",
                "  Latency Distribution",
                "     50%  635.00us",
                "     75%  712.00us",
                "     90%    1.20ms",
                "     99%   21.50ms",
                "  4512 requests in 9.10s, 3.10MB read",
                "Requests/sec:    495.82",
                "Transfer/sec:    348.91KB");

        // when
        LatencyProbe.Latency latency = LatencyProbe.parse(report);

        // then
        assertThat(latency.p50Millis()).hasValueCloseTo(0.635, offset(1e-9));
        assertThat(latency.p99Millis()).hasValueCloseTo(21.5, offset(1e-9));
        assertThat(latency.requestsPerSecond()).hasValueCloseTo(495.82, offset(1e-9));
    }

    @Test
    void a_report_without_figures_gives_empty_ones() {
        // when
        LatencyProbe.Latency latency = LatencyProbe.parse(List.of("unable to connect to 127.0.0.1:1"));

        // then
        assertThat(latency.p50Millis()).isEmpty();
        assertThat(latency.p99Millis()).isEmpty();
        assertThat(latency.describe(latency.p99Millis(), "%.2f")).isEqualTo("n/a");
    }
}
