package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.server.job.FetchFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The watch aborts stalled fetches by closing their transport, here a pipe: a read blocked on a body that
 * sends nothing returns with the idle sentence, one that outlives the deadline with the deadline sentence.
 */
class FetchWatchTest {

    @Test
    void a_body_that_sends_nothing_is_aborted_after_the_read_timeout_as_retryable() throws IOException {
        FetchProperties properties = properties(Duration.ofMillis(200), DataSize.ofBytes(0), Duration.ofMinutes(5));
        try (FetchWatch watch = new FetchWatch(properties); PipedOutputStream source = new PipedOutputStream()) {
            PipedInputStream pipe = new PipedInputStream(source);
            FetchWatch.Fetch fetch = watch.start("files.example.net:80", () -> close(source));
            InputStream body = fetch.body(pipe, () -> { });

            Throwable thrown = catchThrowable(() -> body.readAllBytes());

            assertThat(thrown).isInstanceOf(FetchFailedException.class)
                    .hasMessage("the source at files.example.net:80 sent nothing for 200ms (sluice.fetch.read-timeout) after 0 bytes");
            assertThat(((FetchFailedException) thrown).isRetryable()).isTrue();
        }
    }

    @Test
    void a_fetch_past_its_deadline_is_aborted_for_good() throws IOException {
        FetchProperties properties = properties(Duration.ofMinutes(5), DataSize.ofBytes(0), Duration.ofMillis(300));
        try (FetchWatch watch = new FetchWatch(properties); PipedOutputStream source = new PipedOutputStream()) {
            PipedInputStream pipe = new PipedInputStream(source);
            FetchWatch.Fetch fetch = watch.start("files.example.net:443", () -> close(source));
            InputStream body = fetch.body(pipe, () -> { });
            source.write("email\n".getBytes());

            Throwable thrown = catchThrowable(() -> body.readAllBytes());

            assertThat(thrown).isInstanceOf(FetchFailedException.class).hasMessageContaining("deadline")
                    .hasMessageContaining("sluice.fetch.deadline").hasMessageContaining("after 6 bytes");
            assertThat(((FetchFailedException) thrown).isRetryable()).isFalse();
        }
    }

    private static FetchProperties properties(Duration readTimeout, DataSize minRate, Duration deadline) {
        return new FetchProperties(List.of(), Duration.ofSeconds(5), readTimeout, minRate, deadline, 0, 2);
    }

    private static void close(PipedOutputStream source) {
        try {
            source.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
