package dev.sluice.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The blob contract on local disk. */
class LocalBlobStorageContractTest extends BlobStorageContractTest {

    @TempDir
    Path root;

    private LocalBlobStorage storage;

    @BeforeEach
    void storage_on_a_fresh_folder() {
        storage = new LocalBlobStorage(root);
    }

    @Override
    BlobStorage storage() {
        return storage;
    }

    /** Every regular file under the root, temporary files in {@code .tmp} included. */
    @Override
    List<String> storedKeys() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
