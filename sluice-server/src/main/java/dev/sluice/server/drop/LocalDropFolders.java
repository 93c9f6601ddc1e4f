package dev.sluice.server.drop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The drop on local blob storage: the session is rooted in the account's folder of the blob directory
 * itself, so a file is visible the moment an export publishes it.
 */
final class LocalDropFolders implements DropFolders {

    private final Path blobRoot;

    LocalDropFolders(Path blobRoot) {
        this.blobRoot = blobRoot.toAbsolutePath().normalize();
    }

    @Override
    public Path home(String accountId) throws IOException {
        Path home = blobRoot.resolve(DropKeys.folder(accountId)).normalize();
        if (!home.startsWith(blobRoot)) {
            throw new IOException("drop folder of account '" + accountId + "' is outside the blob directory");
        }
        Files.createDirectories(home.resolve(DropKeys.EXPORTS));
        return home;
    }
}
