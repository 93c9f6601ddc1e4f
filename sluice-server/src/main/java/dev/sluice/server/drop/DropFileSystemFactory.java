package dev.sluice.server.drop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;

/**
 * Roots each SFTP session in its account's drop folder ({@link DropKeys#folder(String)} under the local
 * blob directory), so {@code /} is that folder and nothing above it can be named. The folder and its
 * {@code exports/} are created on login, so a new account sees an empty tree rather than an error.
 */
final class DropFileSystemFactory extends VirtualFileSystemFactory {

    /** The account an authenticated session belongs to, set by the password check. */
    static final AttributeKey<String> ACCOUNT = new AttributeKey<>();

    private final Path blobRoot;

    DropFileSystemFactory(Path blobRoot) {
        this.blobRoot = blobRoot.toAbsolutePath().normalize();
    }

    @Override
    public Path getUserHomeDir(SessionContext session) throws IOException {
        String accountId = session.getAttribute(ACCOUNT);
        if (accountId == null) {
            throw new IOException("SFTP session of '" + session.getUsername() + "' has no account; log in again");
        }
        Path home = blobRoot.resolve(DropKeys.folder(accountId)).normalize();
        if (!home.startsWith(blobRoot)) {
            throw new IOException("drop folder of account '" + accountId + "' is outside the blob directory");
        }
        Files.createDirectories(home.resolve(DropKeys.EXPORTS));
        return home;
    }
}
