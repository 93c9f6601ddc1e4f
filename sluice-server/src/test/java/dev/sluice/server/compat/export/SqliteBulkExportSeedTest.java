package dev.sluice.server.compat.export;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The bulk export flow on the embedded default: an SQLite file and blobs on local disk. */
class SqliteBulkExportSeedTest extends BulkExportSeedTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
    }
}
