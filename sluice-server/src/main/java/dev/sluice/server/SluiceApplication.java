package dev.sluice.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** The Sluice server: HTTP APIs, job engine, stores and storage in one Spring Boot application. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SluiceApplication {

    /** Starts the server with Spring-style arguments (`--server.port=8080 --sluice.data-dir=...`). */
    public static ConfigurableApplicationContext run(String... args) {
        return SpringApplication.run(SluiceApplication.class, args);
    }

    public static void main(String[] args) {
        run(args);
    }
}
