package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dataDir;

    @Test
    void a_second_holder_of_the_same_data_directory_is_refused_naming_the_first_process() {
        // given
        SluiceProperties sluice = new SluiceProperties(dataDir, null, null);
        DataDirLock first = new DataDirLock(sluice);
        try {
            // when / then
            assertThatThrownBy(() -> new DataDirLock(sluice))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dataDir.toAbsolutePath().normalize().toString())
                    .hasMessageContaining("in use by another Sluice process (pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("--data");
        } finally {
            first.destroy();
        }
    }

    @Test
    void the_directory_is_free_again_once_its_holder_is_closed() throws Exception {
        // given
        SluiceProperties sluice = new SluiceProperties(dataDir.resolve("made/on/start"), null, null);
        new DataDirLock(sluice).destroy();

        // when
        DataDirLock again = new DataDirLock(sluice);

        // then
        again.destroy();
        assertThat(Files.readString(dataDir.resolve("made/on/start/lock"), StandardCharsets.US_ASCII).strip())
                .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }
}
