package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.storage.LocalBlobStorage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenedAheadTest {

    @TempDir
    Path root;

    @Test
    void reads_the_blob_as_storage_opens_it() throws Exception {
        LocalBlobStorage storage = new LocalBlobStorage(root);
        storage.put("c/input", new ByteArrayInputStream("email\nann@example.com\n".getBytes(StandardCharsets.UTF_8)),
                100);
        try (InputStream in = new OpenedAhead(storage, "c/input")) {
            assertThat(in.read()).isEqualTo('e');
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("mail\nann@example.com\n");
        }
    }

    @Test
    void a_missing_blob_fails_at_the_first_read_and_at_close_as_storage_says() {
        LocalBlobStorage storage = new LocalBlobStorage(root);
        InputStream in = new OpenedAhead(storage, "c/missing");
        assertThatThrownBy(in::read).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(in::close).isInstanceOf(NoSuchFileException.class);
    }
}
