package dev.sluice.server.config;

import ch.qos.logback.classic.LoggerContext;
import java.time.Clock;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Installs {@link RepeatedLogFilter} on Logback (the server's logging) for the life of the application,
 * whatever configuration file is in use (Spring Boot's default, or the CLI's).
 */
@Component
class LogRateLimit implements DisposableBean {

    private final RepeatedLogFilter filter;
    private final LoggerContext context;

    LogRateLimit(LogProperties properties, Clock clock) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (properties.maxRepeats() == 0 || !(factory instanceof LoggerContext logback)) {
            this.filter = null;
            this.context = null;
            return;
        }
        this.context = logback;
        this.filter = new RepeatedLogFilter(properties.maxRepeats(), properties.repeatWindow(), clock::millis);
        filter.setName("sluice-repeated-log-filter");
        filter.start();
        context.addTurboFilter(filter);
    }

    @Override
    public void destroy() {
        if (filter != null) {
            context.getTurboFilterList().remove(filter);
            filter.stop();
        }
    }
}
