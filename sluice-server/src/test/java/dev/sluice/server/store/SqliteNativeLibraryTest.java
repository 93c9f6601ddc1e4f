package dev.sluice.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * The copy of SQLite's native library kept in the data directory. The properties it sets are the JVM's own, so each
 * case puts back what was there; whether sqlite-jdbc then loads that copy is shown by a server in its own process
 * (the CLI's MainProcessTest), since this JVM has loaded the library long before.
 */
class SqliteNativeLibraryTest {

    @TempDir
    Path dataDir;

    private String folderBefore;
    private String nameBefore;

    @BeforeEach
    void clear_the_properties() {
        folderBefore = System.clearProperty(SqliteNativeLibrary.FOLDER_PROPERTY);
        nameBefore = System.clearProperty(SqliteNativeLibrary.NAME_PROPERTY);
    }

    @AfterEach
    void put_back_the_properties() {
        restore(SqliteNativeLibrary.FOLDER_PROPERTY, folderBefore);
        restore(SqliteNativeLibrary.NAME_PROPERTY, nameBefore);
    }

    @Test
    void the_library_is_copied_once_per_version_and_sqlite_jdbc_is_pointed_at_it() throws IOException {
        // when
        SqliteNativeLibrary.keepIn(dataDir);

        // then the jar's library for this platform, byte for byte, in a folder named after the version and platform
        Path folder = dataDir.resolve("native").resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                .resolve(OSInfo.getNativeLibFolderPathForCurrentOS());
        Path library = folder.resolve(LibraryLoaderUtil.getNativeLibName());
        assertThat(library).hasBinaryContent(jarLibrary());
        assertThat(files(folder)).containsExactly(library);
        assertThat(System.getProperty(SqliteNativeLibrary.FOLDER_PROPERTY)).isEqualTo(folder.toString());
        assertThat(System.getProperty(SqliteNativeLibrary.NAME_PROPERTY)).isEqualTo(LibraryLoaderUtil.getNativeLibName());

        // when the next start finds it there
        FileTime copied = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(library, copied);
        System.clearProperty(SqliteNativeLibrary.FOLDER_PROPERTY);
        SqliteNativeLibrary.keepIn(dataDir);

        // then it is used as it is
        assertThat(Files.getLastModifiedTime(library)).isEqualTo(copied);
        assertThat(System.getProperty(SqliteNativeLibrary.FOLDER_PROPERTY)).isEqualTo(folder.toString());
    }

    @Test
    void a_folder_the_operator_chose_is_left_alone() {
        System.setProperty(SqliteNativeLibrary.FOLDER_PROPERTY, "/opt/sqlite-native");

        SqliteNativeLibrary.keepIn(dataDir);

        assertThat(dataDir.resolve("native")).doesNotExist();
        assertThat(System.getProperty(SqliteNativeLibrary.FOLDER_PROPERTY)).isEqualTo("/opt/sqlite-native");
        assertThat(System.getProperty(SqliteNativeLibrary.NAME_PROPERTY)).isNull();
    }

    private static byte[] jarLibrary() throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
