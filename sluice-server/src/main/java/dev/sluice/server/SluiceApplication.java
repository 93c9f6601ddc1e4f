package dev.sluice.server;

import dev.sluice.core.verify.lists.ShippedDomainLists;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** The Sluice server: HTTP APIs, job engine, stores and storage in one Spring Boot application. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SluiceApplication {

    /**
     * Starts the server with Spring-style arguments (`--server.port=8080 --sluice.data-dir=...`), with the bean
     * definitions prepared at build time when {@code spring.aot.enabled} asks for them and the start allows it
     * ({@link BuildTimeBeans}).
     */
    public static ConfigurableApplicationContext run(String... args) {
        // read while Spring starts; the verification engine's bean waits for them if need be
        ShippedDomainLists.readAhead();
        SpringApplication application = new SpringApplication(SluiceApplication.class);
        // the prepared definitions are found by the main class's name; the CLI's main class is another
        application.setMainApplicationClass(SluiceApplication.class);
        BuildTimeBeans.reset();
        application.addListeners(new BuildTimeBeans());
        return application.run(args);
    }

    public static void main(String[] args) {
        run(args);
    }
}
