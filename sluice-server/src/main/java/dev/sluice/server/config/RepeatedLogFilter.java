package dev.sluice.server.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Rate-limits repeated warnings and errors: at most {@code maxRepeats} lines of one kind (logger, level and
 * message template, whatever the arguments) per window. Further lines of that kind are dropped and
 * counted; the first one let through after the window carries on, and a line before it says how many were
 * dropped. Info and below are never limited.
 */
final class RepeatedLogFilter extends TurboFilter {

    /** Kinds remembered at most; past it the counts start over (a flood has few kinds, not thousands). */
    static final int MAX_KINDS = 1_000;

    private final int maxRepeats;
    private final long windowMillis;
    private final LongSupplier millis;
    private final Map<Kind, Window> windows = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> reporting = ThreadLocal.withInitial(() -> false);

    RepeatedLogFilter(int maxRepeats, Duration window, LongSupplier millis) {
        this.maxRepeats = maxRepeats;
        this.windowMillis = window.toMillis();
        this.millis = millis;
    }

    private record Kind(String logger, Level level, String template) {
    }

    /** One kind's current window: when it began, lines let through, lines dropped. */
    private static final class Window {
        long start;
        int written;
        long dropped;

        Window(long start) {
            this.start = start;
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // level checks (isDebugEnabled) come without a format; our own report must pass
        if (format == null || level == null || !level.isGreaterOrEqual(Level.WARN) || reporting.get()) {
            return FilterReply.NEUTRAL;
        }
        if (windows.size() > MAX_KINDS) {
            windows.clear();
        }
        long now = millis.getAsLong();
        Window window = windows.computeIfAbsent(new Kind(logger.getName(), level, format), k -> new Window(now));
        long droppedBefore;
        synchronized (window) {
            if (now - window.start >= windowMillis) {
                droppedBefore = window.dropped;
                window.start = now;
                window.written = 0;
                window.dropped = 0;
            } else {
                droppedBefore = 0;
            }
            if (window.written >= maxRepeats) {
                window.dropped++;
                return FilterReply.DENY;
            }
            window.written++;
        }
        if (droppedBefore > 0) {
            report(logger, level, format, droppedBefore);
        }
        return FilterReply.NEUTRAL;
    }

    private void report(Logger logger, Level level, String format, long dropped) {
        reporting.set(true);
        try {
            String line = "{} more lines like the next one were left out of the log in the last {} s "
                    + "(sluice.log.max-repeats: {} per window): \"{}\"";
            Object[] args = {dropped, windowMillis / 1000, maxRepeats, format};
            if (level == Level.ERROR) {
                logger.error(line, args);
            } else {
                logger.warn(line, args);
            }
        } finally {
            reporting.set(false);
        }
    }
}
