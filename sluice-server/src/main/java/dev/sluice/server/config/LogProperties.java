package dev.sluice.server.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How repeated warnings and errors are kept from flooding the log (a full disk once wrote 430 MB of the same
 * stack trace in three minutes).
 *
 * @param maxRepeats   lines of one kind (logger, level and message template) written per window; the rest
 *                     are counted and reported in one line when the kind comes up again after the window;
 *                     0 turns the limit off; default {@value #DEFAULT_MAX_REPEATS} (env {@code SLUICE_LOG_MAXREPEATS})
 * @param repeatWindow the window; default 1m (env {@code SLUICE_LOG_REPEATWINDOW})
 */
@ConfigurationProperties("sluice.log")
public record LogProperties(
        @DefaultValue("" + DEFAULT_MAX_REPEATS) int maxRepeats,
        @DefaultValue("1m") Duration repeatWindow) {

    public static final int DEFAULT_MAX_REPEATS = 10;

    public LogProperties {
        if (maxRepeats < 0) {
            throw new IllegalArgumentException("sluice.log.max-repeats must be 0 (no limit) or more, was " + maxRepeats);
        }
        if (repeatWindow.isNegative() || repeatWindow.isZero()) {
            throw new IllegalArgumentException("sluice.log.repeat-window must be positive, was " + repeatWindow);
        }
    }
}
