package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.storage.LocalBlobStorage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkInputsTest {

    @TempDir
    Path root;

    @Test
    void every_chunk_closed_is_stored_once_awaited() throws Exception {
        LocalBlobStorage storage = new LocalBlobStorage(root);
        try (ChunkInputs inputs = new ChunkInputs()) {
            for (int i = 0; i < 10; i++) {
                try (OutputStream out = inputs.track(i, storage.create("c/" + i))) {
                    out.write(("chunk " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            inputs.await(3);
            assertThat(read(storage, "c/3")).isEqualTo("chunk 3");
            inputs.awaitAll();
            for (int i = 0; i < 10; i++) {
                assertThat(read(storage, "c/" + i)).isEqualTo("chunk " + i);
            }
        }
    }

    @Test
    void a_store_that_fails_fails_the_load_and_the_chunk_waiting_for_it() throws Exception {
        LocalBlobStorage storage = new LocalBlobStorage(root) {
            @Override
            public OutputStream create(String key) throws IOException {
                OutputStream out = super.create(key);
                return key.endsWith("/2") ? new FilterOutputStream(out) {
                    @Override
                    public void close() throws IOException {
                        throw new IOException("the bucket refused chunk 2");
                    }
                } : out;
            }
        };
        try (ChunkInputs inputs = new ChunkInputs()) {
            for (int i = 0; i < 4; i++) {
                inputs.track(i, storage.create("c/" + i)).close();
            }
            assertThatThrownBy(() -> inputs.await(2)).hasMessage("the bucket refused chunk 2");
            assertThatThrownBy(inputs::awaitAll).hasMessage("the bucket refused chunk 2");
        }
    }

    @Test
    void the_load_waits_once_more_chunks_than_allowed_are_being_stored() throws Exception {
        // given stores that hang until released
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stored = new AtomicInteger();
        LocalBlobStorage storage = new LocalBlobStorage(root) {
            @Override
            public OutputStream create(String key) throws IOException {
                return new FilterOutputStream(super.create(key)) {
                    @Override
                    public void close() throws IOException {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        super.close();
                        stored.incrementAndGet();
                    }
                };
            }
        };
        try (ChunkInputs inputs = new ChunkInputs()) {
            for (int i = 0; i < ChunkInputs.IN_FLIGHT; i++) {
                inputs.track(i, storage.create("c/" + i)).close(); // returns at once
            }

            // when one chunk more is closed
            CompletableFuture<Void> oneMore = CompletableFuture.runAsync(() -> {
                try {
                    inputs.track(ChunkInputs.IN_FLIGHT, storage.create("c/last")).close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            // then it waits for the oldest store, and goes on once stores end
            Thread.sleep(200);
            assertThat(oneMore).isNotDone();
            release.countDown();
            oneMore.get(10, TimeUnit.SECONDS);
            inputs.awaitAll();
            assertThat(stored).hasValue(ChunkInputs.IN_FLIGHT + 1);
        }
    }

    private static String read(LocalBlobStorage storage, String key) throws IOException {
        try (InputStream in = storage.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
