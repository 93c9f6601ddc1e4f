package dev.sluice.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One process per data directory: the node id, the SQLite file and the drop mirror in it belong to one
 * running Sluice, so a second one on the same directory stops at start with a message saying which
 * process holds it, instead of sharing its task claims. The lock is the operating system's on
 * {@code <data-dir>/lock}, released when the process ends however it ends, so a killed node restarts freely.
 */
@Component
public class DataDirLock implements DisposableBean {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    public DataDirLock(SluiceProperties sluice) {
        Path dir = sluice.dataDir().toAbsolutePath().normalize();
        this.file = dir.resolve("lock");
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory's lock file " + file, e);
        }
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null; // held by another Sluice in this JVM
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        if (acquired == null) {
            String holder = holder();
            close();
            throw new IllegalStateException("the data directory " + dir + " is in use by another Sluice process"
                    + holder + "; stop it, talk to it (e.g. --server http://localhost:8080), or choose another "
                    + "data directory (--data or SLUICE_DATA_DIR)");
        }
        this.lock = acquired;
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            // the pid is only for the message above; the lock itself holds
        }
    }

    @Override
    public void destroy() {
        close();
    }

    private String holder() {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private void close() {
        try {
            channel.close(); // releases the lock too
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
