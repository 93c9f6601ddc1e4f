package dev.sluice.server.export;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Export and retention on the embedded default: an SQLite file and blobs on local disk. */
class SqliteExportApiTest extends ExportApiTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
    }

    @Override
    Path dataDir() {
        return dataDir;
    }
}
