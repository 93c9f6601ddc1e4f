package dev.sluice.server.drop;

import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * Issues SFTP logins for the drop: one per account, its username the account id, its password random and
 * shown once. Issuing again rotates the password: the old one stops working at once and the account's
 * open SFTP sessions on this node are closed.
 */
@Service
public class SftpCredentials {

    private final SftpCredentialStore store;
    private final DropServer server;
    private final Clock clock;

    SftpCredentials(SftpCredentialStore store, DropServer server, Clock clock) {
        this.store = store;
        this.server = server;
        this.clock = clock;
    }

    /** A login as handed out once: the {@code password} is stored only as a hash and never shown again. */
    public record SftpLogin(String username, String password) {
    }

    /** Creates or rotates the SFTP login of {@code accountId}, an account the caller has checked exists. */
    public SftpLogin issue(String accountId) {
        String password = PasswordHasher.newPassword();
        store.upsert(accountId, accountId, PasswordHasher.hash(password), clock.instant());
        server.disconnect(accountId);
        return new SftpLogin(accountId, password);
    }
}
