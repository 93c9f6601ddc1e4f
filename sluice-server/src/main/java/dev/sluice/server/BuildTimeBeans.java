package dev.sluice.server;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Whether a start uses the bean definitions Spring's AOT engine wrote when the jar was built
 * ({@code spring.aot.enabled=true}, which {@code ./sluice} sets): they spare the start scanning classes, parsing
 * configuration classes and evaluating conditions, about a quarter of its CPU. The engine evaluated every
 * condition once, with the packaged {@code application.properties}, so those beans are right only for a start
 * that sets none of the properties conditions read. A start given one (a Spring, server, management or SpringDoc
 * property other than the few below, e.g. {@code management.server.port}, from the command line, the
 * environment or a config file) runs without them, as does a build made without the engine: a slower start,
 * never a different server. Decided when the environment is prepared, before the context is made, through Spring's
 * JVM-wide {@link SpringProperties}: with the flag set, servers in one JVM start one after the other (as
 * {@code ./sluice} and the CLI's in-process server do), never side by side.
 */
final class BuildTimeBeans implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(BuildTimeBeans.class);

    /** The class the engine writes for the application: absent, the build ran without it. */
    static final String INITIALIZER = SluiceApplication.class.getName() + "__ApplicationContextInitializer";

    /** Prefixes of the properties that Spring Boot's, the actuator's and SpringDoc's conditions read. */
    private static final List<String> DECIDING = List.of("spring.", "server.", "management.", "springdoc.");

    /**
     * Properties under those prefixes that Sluice sets or documents, or Spring Boot sets on every start (the
     * application's version and pid), and that no condition reads.
     */
    private static final List<String> READ_AT_RUN_TIME = List.of("spring.aot.enabled", "spring.config.",
            "spring.application.version", "spring.application.pid",
            "spring.main.banner-mode", "spring.output.ansi.enabled", "spring.servlet.multipart.location",
            "server.port", "server.address", "server.tomcat.threads.");

    /** The packaged defaults, which the engine saw. */
    private static final String PACKAGED = "class path resource [application.properties]";

    /** Makes the next start in this JVM follow {@code spring.aot.enabled} again, whatever a start before chose. */
    static void reset() {
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        String reason;
        if (!ClassUtils.isPresent(INITIALIZER, SluiceApplication.class.getClassLoader())) {
            reason = "this build has none (it ran without Spring's AOT engine)";
        } else {
            List<String> properties = decidingProperties(event.getEnvironment());
            if (properties.isEmpty()) {
                return;
            }
            reason = String.join(", ", properties) + (properties.size() == 1 ? " is" : " are")
                    + " set, and may decide which beans exist";
        }
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
        log.info("Starting without the bean definitions prepared at build time: {}", reason);
    }

    /**
     * The properties set outside the packaged defaults that a condition may read, as Spring names them (an
     * environment variable's name turned into one: {@code MANAGEMENT_SERVER_PORT} is
     * {@code management.server.port}), in the order of the environment's sources and by name within one; empty
     * when there is none.
     */
    static List<String> decidingProperties(ConfigurableEnvironment environment) {
        Set<String> found = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable) || source.getName().contains(PACKAGED)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : Arrays.stream(enumerable.getPropertyNames()).sorted().toList()) {
                String property = variables ? name.toLowerCase(Locale.ROOT).replace('_', '.') : name;
                if (DECIDING.stream().anyMatch(property::startsWith)
                        && READ_AT_RUN_TIME.stream().noneMatch(property::startsWith)) {
                    found.add(property);
                }
            }
        }
        return List.copyOf(found);
    }
}
