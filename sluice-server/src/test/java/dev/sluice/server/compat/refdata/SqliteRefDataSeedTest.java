package dev.sluice.server.compat.refdata;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The seed's example on the embedded default: an SQLite file and blobs on local disk. */
class SqliteRefDataSeedTest extends RefDataSeedTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
    }
}
