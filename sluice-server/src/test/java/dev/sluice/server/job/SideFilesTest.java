package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.storage.LocalBlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SideFilesTest {

    @TempDir
    Path root;

    @Test
    void files_handed_over_are_stored_together_and_all_stored_once_awaited() throws Exception {
        // given a storage whose writes each wait until both have started
        CountDownLatch bothStarted = new CountDownLatch(2);
        LocalBlobStorage storage = new LocalBlobStorage(root) {
            @Override
            public void write(String key, BlobWriter writer) throws IOException {
                bothStarted.countDown();
                try {
                    if (!bothStarted.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("the other file was not being stored meanwhile");
                    }
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                super.write(key, writer);
            }
        };

        // when two files are handed over, then awaited
        try (SideFiles sideFiles = new SideFiles(storage)) {
            sideFiles.write("b/report", out -> out.write("report".getBytes(StandardCharsets.UTF_8)));
            sideFiles.write("b/copies", out -> out.write("copies".getBytes(StandardCharsets.UTF_8)));
            sideFiles.await();
        }

        // then both were stored at the same time, and are there
        assertThat(read(storage, "b/report")).isEqualTo("report");
        assertThat(read(storage, "b/copies")).isEqualTo("copies");
    }

    @Test
    void a_file_that_fails_fails_the_await_after_the_others_are_stored() throws Exception {
        LocalBlobStorage storage = new LocalBlobStorage(root);
        try (SideFiles sideFiles = new SideFiles(storage)) {
            sideFiles.write("b/first", out -> {
                throw new IOException("the bucket refused the first file");
            });
            sideFiles.write("b/second", out -> out.write('2'));
            assertThatThrownBy(sideFiles::await).hasMessage("the bucket refused the first file");
        }
        assertThat(read(storage, "b/second")).isEqualTo("2");
        assertThat(storage.exists("b/first")).isFalse();
    }

    @Test
    void closing_waits_for_files_still_being_stored() throws Exception {
        // given a file whose store hangs until released
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stored = new AtomicBoolean();
        LocalBlobStorage storage = new LocalBlobStorage(root);
        SideFiles sideFiles = new SideFiles(storage);
        sideFiles.write("b/slow", out -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            out.write('x');
            stored.set(true);
        });

        // when the task fails and closes without awaiting, the close waits for the store to end
        Thread closing = Thread.ofPlatform().start(sideFiles::close);
        closing.join(200);
        assertThat(closing.isAlive()).isTrue();
        release.countDown();
        closing.join(10_000);
        assertThat(closing.isAlive()).isFalse();
        assertThat(stored).isTrue();
    }

    private static String read(LocalBlobStorage storage, String key) throws IOException {
        try (InputStream in = storage.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
