package dev.sluice.server.drop;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;

/**
 * Roots each SFTP session in its account's drop folder (see {@link DropFolders}), so {@code /} is that
 * folder and nothing above it can be named. The folder and its {@code exports/} exist from the first
 * login, so a new account sees an empty tree rather than an error.
 */
final class DropFileSystemFactory extends VirtualFileSystemFactory {

    /** The account an authenticated session belongs to, set by the password check. */
    static final AttributeKey<String> ACCOUNT = new AttributeKey<>();

    private final DropFolders folders;

    DropFileSystemFactory(DropFolders folders) {
        this.folders = folders;
    }

    @Override
    public Path getUserHomeDir(SessionContext session) throws IOException {
        String accountId = session.getAttribute(ACCOUNT);
        if (accountId == null) {
            throw new IOException("SFTP session of '" + session.getUsername() + "' has no account; log in again");
        }
        return folders.home(accountId);
    }
}
