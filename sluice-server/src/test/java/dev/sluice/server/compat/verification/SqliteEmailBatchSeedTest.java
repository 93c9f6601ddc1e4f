package dev.sluice.server.compat.verification;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Seed 002's examples on the embedded default: an SQLite file and blobs on local disk. */
class SqliteEmailBatchSeedTest extends EmailBatchSeedTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
    }
}
