package dev.sluice.server.ops;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Operations on the embedded default: an SQLite file and blobs on local disk. */
class SqliteOperationsTest extends OperationsTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        commonProperties(registry, dataDir);
    }

    @Override
    Path dataDir() {
        return dataDir;
    }
}
