package dev.sluice.server.config;

import dev.sluice.server.store.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * This node's name in task claims. Kept in {@code <data-dir>/node-id} unless {@code sluice.node-id} names
 * it, so that a node restarted after a crash knows which claims in the store were its own.
 */
@Component
public class NodeIdentity {

    private final String id;

    /** Takes {@code lock} so that the node id is read only by the process that holds the data directory. */
    public NodeIdentity(SluiceProperties sluice, DataDirLock lock) {
        this.id = sluice.nodeId() != null && !sluice.nodeId().isBlank() ? sluice.nodeId() : stored(sluice.dataDir());
    }

    public String id() {
        return id;
    }

    private static String stored(Path dataDir) {
        Path file = dataDir.resolve("node-id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(dataDir);
            String fresh = Ids.next("node");
            Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node id in " + file, e);
        }
    }
}
