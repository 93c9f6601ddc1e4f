package dev.sluice.server.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the public metrics may say. Spring Boot tags the disk space gauges with the absolute path of the
 * directory they measure, which tells anyone who can read {@code /actuator/prometheus} where the server is
 * installed; the gauges stay, the path tag goes.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfig {

    @Bean
    MeterFilter dropDiskPathTag() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("disk.") || id.getTag("path") == null) {
                    return id;
                }
                List<Tag> kept = id.getTags().stream().filter(t -> !t.getKey().equals("path")).toList();
                return id.replaceTags(kept);
            }
        };
    }
}
