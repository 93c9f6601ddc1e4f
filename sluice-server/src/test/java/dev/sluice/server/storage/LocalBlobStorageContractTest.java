package dev.sluice.server.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

    @Test
    void probe_fails_once_the_folder_is_no_longer_writable() throws IOException {
        // given the root replaced by a regular file (as root, chmod would not stop the writes)
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.writeString(root, "not a folder");

        try {
            // when / then
            assertThatThrownBy(storage::probe).isInstanceOf(IOException.class);
        } finally {
            Files.delete(root);
            Files.createDirectories(root);
        }
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
