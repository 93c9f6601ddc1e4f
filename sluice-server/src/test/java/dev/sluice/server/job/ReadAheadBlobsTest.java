package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.storage.LocalBlobStorage;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadBlobsTest {

    @TempDir
    Path root;

    /** Local storage that knows which of the streams it opened are still open. */
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    private LocalBlobStorage storage;
    private final List<String> keys = new ArrayList<>();

    @BeforeEach
    void blobs() throws Exception {
        storage = new LocalBlobStorage(root) {
            @Override
            public InputStream open(String key) throws IOException {
                InputStream stream = new FilterInputStream(super.open(key)) {
                    @Override
                    public void close() throws IOException {
                        open.remove(this);
                        super.close();
                    }
                };
                open.add(stream);
                return stream;
            }
        };
        for (int i = 0; i < 5; i++) {
            String key = "b/part-" + i;
            storage.put(key, new ByteArrayInputStream(("part " + i).getBytes(StandardCharsets.UTF_8)), 100);
            keys.add(key);
        }
    }

    @Test
    void each_pass_in_order_reads_every_blob_and_leaves_nothing_open() throws IOException {
        try (ReadAheadBlobs blobs = new ReadAheadBlobs(storage, keys)) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(read(blobs.sources().get(i).open())).isEqualTo("part " + i);
                }
                // the last blob opens nothing ahead
                assertThat(open).isEmpty();
            }
        }
    }

    @Test
    void blobs_opened_out_of_order_or_twice_are_still_the_ones_asked_for() throws IOException {
        for (int ahead = 1; ahead <= 5; ahead++) {
            try (ReadAheadBlobs blobs = new ReadAheadBlobs(storage, keys, ahead)) {
                for (int i : new int[] {2, 0, 0, 4, 3, 1, 3, 4}) {
                    assertThat(read(blobs.open(i))).isEqualTo("part " + i);
                }
            }
            assertThat(open).isEmpty();
        }
    }

    @Test
    void up_to_ahead_blobs_after_the_one_read_are_opened_and_no_more() throws Exception {
        try (ReadAheadBlobs blobs = new ReadAheadBlobs(storage, keys, 2)) {
            InputStream first = blobs.open(0);
            // blobs 1 and 2 open in the background; the one asked for is open too
            awaitOpen(3);
            read(first);
            assertThat(open).hasSize(2);
            assertThat(read(blobs.open(1))).isEqualTo("part 1");
            awaitOpen(2); // 2, and 3 now
            assertThat(read(blobs.open(4))).isEqualTo("part 4"); // jumped past 2 and 3: both closed unread
            assertThat(open).isEmpty();
        }
    }

    @Test
    void at_least_one_blob_is_opened_ahead() {
        assertThatThrownBy(() -> new ReadAheadBlobs(storage, keys, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Waits until {@code count} streams are open (the opens ahead run on threads of their own). */
    private void awaitOpen(int count) throws InterruptedException {
        for (int i = 0; i < 500 && open.size() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(open).hasSize(count);
    }

    @Test
    void a_pass_that_stops_early_leaves_the_blob_opened_ahead_to_close() throws IOException {
        ReadAheadBlobs blobs = new ReadAheadBlobs(storage, keys);
        assertThat(read(blobs.open(0))).isEqualTo("part 0");
        blobs.close();
        assertThat(open).isEmpty();
    }

    @Test
    void a_missing_blob_fails_when_it_is_opened_as_storage_says() throws IOException {
        storage.delete(keys.get(2));
        try (ReadAheadBlobs blobs = new ReadAheadBlobs(storage, keys)) {
            assertThat(read(blobs.open(1))).isEqualTo("part 1"); // opens 2 ahead, which fails there
            assertThatThrownBy(() -> blobs.open(2)).isInstanceOf(NoSuchFileException.class);
            assertThat(read(blobs.open(3))).isEqualTo("part 3");
        }
        assertThat(open).isEmpty();
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
