package dev.sluice.server.dataset.imports;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The import contract on the embedded default: an SQLite file, staged with batched inserts. */
class SqliteImportTest extends ImportContractTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
    }
}
