package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log's repeat limit, on a real Logback context with a list appender and a clock the test moves. */
class RepeatedLogFilterTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final LoggerContext context = new LoggerContext();
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    Logger log;

    @BeforeEach
    void logback_with_the_filter() {
        RepeatedLogFilter filter = new RepeatedLogFilter(3, Duration.ofMinutes(1), now::get);
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.start();
        log = context.getLogger("dev.sluice.test");
        log.addAppender(appender);
    }

    @Test
    void a_flood_of_one_warning_keeps_the_first_lines_of_each_window_and_says_how_many_were_left_out() {
        // given 1000 warnings of one kind with different arguments, in one window
        for (int i = 0; i < 1000; i++) {
            log.warn("task {} failed", i, new IllegalStateException("disk full"));
        }

        // then only the first three were written
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("task 0 failed", "task 1 failed", "task 2 failed");

        // when the window has passed and the kind comes up again
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        log.warn("task {} failed", 1000);

        // then a line says how many were dropped, then the line itself
        assertThat(appender.list).hasSize(5);
        assertThat(appender.list.get(3).getFormattedMessage())
                .isEqualTo("997 more lines like the next one were left out of the log in the last 60 s "
                        + "(sluice.log.max-repeats: 3 per window): \"task {} failed\"");
        assertThat(appender.list.get(4).getFormattedMessage()).isEqualTo("task 1000 failed");
    }

    @Test
    void kinds_are_limited_apart_and_info_is_never_limited() {
        // given
        for (int i = 0; i < 10; i++) {
            log.warn("first kind {}", i);
            log.error("second kind {}", i);
            log.info("batch {} completed", i);
        }

        // then
        assertThat(appender.list).filteredOn(e -> e.getMessage().startsWith("first")).hasSize(3);
        assertThat(appender.list).filteredOn(e -> e.getMessage().startsWith("second")).hasSize(3);
        assertThat(appender.list).filteredOn(e -> e.getMessage().startsWith("batch")).hasSize(10);
    }
}
