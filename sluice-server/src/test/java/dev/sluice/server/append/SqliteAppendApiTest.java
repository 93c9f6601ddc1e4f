package dev.sluice.server.append;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The append contract on the embedded default: an SQLite file and blobs on local disk. */
class SqliteAppendApiTest extends AppendApiTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry, dataDir);
    }
}
