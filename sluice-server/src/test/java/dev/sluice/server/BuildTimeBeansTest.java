package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Which properties of a start keep it from the bean definitions prepared at build time: those a condition may
 * read, set anywhere but in the packaged defaults, under their Spring names. The process test in the CLI module
 * ({@code BuildTimeBeansProcessTest}) starts servers both ways.
 */
class BuildTimeBeansTest {

    @Test
    void the_properties_sluice_passes_and_documents_for_run_time_keep_the_prepared_beans() {
        StandardEnvironment environment = environment(
                new SimpleCommandLinePropertySource("--server.port=8080", "--server.address=127.0.0.1",
                        "--sluice.data-dir=/tmp/data", "--sluice.drop.enabled=false", "--spring.main.banner-mode=off",
                        "--logging.level.root=ERROR", "--logging.config=classpath:sluice-cli-logback.xml",
                        "--spring.config.additional-location=/etc/sluice/",
                        "--spring.servlet.multipart.location=/var/tmp/sluice"),
                new SystemEnvironmentPropertySource("systemEnvironment", Map.of("PATH", "/usr/bin",
                        "SLUICE_BOOTSTRAP_API_KEY", "sk_live_x", "SERVER_TOMCAT_THREADS_MAX", "400",
                        "SPRING_CONFIG_LOCATION", "/etc/sluice/")),
                new MapPropertySource("systemProperties", Map.of("spring.aot.enabled", "true",
                        "java.version", "25")),
                new MapPropertySource("applicationInfo", Map.of("spring.application.version", "0.1.0",
                        "spring.application.pid", "42")));

        assertThat(BuildTimeBeans.decidingProperties(environment)).isEmpty();
    }

    @Test
    void a_property_a_condition_may_read_is_named_from_any_source_but_the_packaged_defaults() {
        StandardEnvironment environment = environment(
                new SimpleCommandLinePropertySource("--server.port=8080", "--server.forward-headers-strategy=framework"),
                new SystemEnvironmentPropertySource("systemEnvironment", Map.of("MANAGEMENT_SERVER_PORT", "9090",
                        "PATH", "/usr/bin")),
                new MapPropertySource("Config resource 'file [config/application.properties]' via location "
                        + "'optional:file:./config/'", Map.of("springdoc.swagger-ui.enabled", "false")),
                new MapPropertySource("Config resource 'class path resource [application.properties]' via location "
                        + "'optional:classpath:/'", Map.of("management.endpoints.web.exposure.include", "health",
                        "spring.flyway.enabled", "true")));

        assertThat(BuildTimeBeans.decidingProperties(environment)).containsExactly(
                "server.forward-headers-strategy", "management.server.port", "springdoc.swagger-ui.enabled");
    }

    @Test
    void profiles_and_the_web_application_type_decide_beans_too() {
        StandardEnvironment environment = environment(
                new SystemEnvironmentPropertySource("systemEnvironment", Map.of("SPRING_PROFILES_ACTIVE", "cluster")),
                new MapPropertySource("systemProperties", Map.of("spring.main.web-application-type", "none")));

        assertThat(BuildTimeBeans.decidingProperties(environment)).containsExactly("spring.profiles.active",
                "spring.main.web-application-type");
    }

    /** An environment holding exactly {@code sources}, first first. */
    private static StandardEnvironment environment(PropertySource<?>... sources) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        for (PropertySource<?> source : sources) {
            environment.getPropertySources().addLast(source);
        }
        return environment;
    }
}
