package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Http;
import jakarta.servlet.MultipartConfigElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A multipart part the container parses (the {@code /email/batch} seed door's file) is kept, while its request
 * lasts, in the data directory's {@code tmp/multipart}, not under {@code java.io.tmpdir}; what a killed process
 * left there is removed at start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class MultipartLocationTest {

    /** The seed door's key is the bootstrap admin key, as in its own tests. */
    static final String KEY = "sk_test_admin_key_for_multipart_location";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.enabled", () -> "false");
    }

    /** What a process killed during an upload left behind, there before the server starts. */
    @BeforeAll
    static void left_by_a_killed_process() throws Exception {
        Path folder = Files.createDirectories(dataDir.resolve("tmp/multipart"));
        Files.writeString(folder.resolve("upload_left_behind.tmp"), "half a part");
    }

    @LocalServerPort
    int port;

    @Autowired
    MultipartConfigElement multipart;

    @Test
    void parts_go_to_the_data_directory_and_what_a_killed_process_left_is_gone() throws Exception {
        Path folder = dataDir.resolve("tmp/multipart").toAbsolutePath().normalize();
        assertThat(Path.of(multipart.getLocation())).isEqualTo(folder);
        assertThat(folder.resolve("upload_left_behind.tmp")).doesNotExist();

        // given a file over the 1 MB the container keeps in memory
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; csv.length() < 2 * 1024 * 1024; i++) {
            csv.append("person").append(i).append("@example.com,Person ").append(i).append('\n');
        }
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE);

            // when the seed door takes it
            Http.Response answer = new Http("http://127.0.0.1:" + port).postFile("/email/batch?lqtkey=" + KEY, null,
                    "email", "list.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

            // then it was accepted, its part was written in the data directory's folder, and nothing stays there
            assertThat(answer.status()).as(answer.text()).isBetween(200, 299);
            WatchKey key = watch.poll(10, TimeUnit.SECONDS);
            assertThat(key).as("no file was created in " + folder).isNotNull();
            List<Path> created = new ArrayList<>();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path name) {
                    created.add(name);
                }
            }
            assertThat(created).isNotEmpty();
        }
        try (var left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
    }
}
