package dev.sluice.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * Where SQLite's native library is loaded from. Left to itself, sqlite-jdbc copies the library out of its jar at
 * every start, into the temporary directory under a new random name, and reads it back to compare: about 70 ms of
 * every start and in-process command. Sluice copies it once per sqlite-jdbc version and platform into the data
 * directory, which belongs to the user running Sluice (a shared temporary directory would let another user put a
 * library there), and points sqlite-jdbc at that copy. A library that then fails to load sends sqlite-jdbc back to
 * its own way.
 */
final class SqliteNativeLibrary {

    /** The system properties sqlite-jdbc reads first; an operator who sets the folder keeps that choice. */
    static final String FOLDER_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);

    private SqliteNativeLibrary() {
    }

    /**
     * Makes sure the library for this platform is in {@code dataDir/native/sqlite-jdbc-<version>/<os>/<arch>} (a
     * data directory moved to another kind of machine gets that machine's own) and has sqlite-jdbc load it from
     * there. Does nothing when the folder property is set, or when the jar has no library for this platform
     * (sqlite-jdbc then reports that itself).
     */
    static synchronized void keepIn(Path dataDir) {
        if (System.getProperty(FOLDER_PROPERTY) != null) {
            return;
        }
        String name = LibraryLoaderUtil.getNativeLibName();
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        Path folder = dataDir.resolve("native").resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                .resolve(OSInfo.getNativeLibFolderPathForCurrentOS());
        Path library = folder.resolve(name);
        try {
            if (!Files.isRegularFile(library)) {
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    Files.createDirectories(folder);
                    // copied whole under another name, then renamed: a start never sees half a library
                    Path partial = Files.createTempFile(folder, name, ".partial");
                    try {
                        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(partial);
                    }
                }
            }
        } catch (IOException e) {
            log.debug("cannot keep SQLite's native library in {}; sqlite-jdbc extracts it itself", folder, e);
            return;
        }
        System.setProperty(FOLDER_PROPERTY, folder.toString());
        System.setProperty(NAME_PROPERTY, name);
    }
}
