package dev.sluice.server.api;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.Caller;
import dev.sluice.server.door.PublicUrls;
import dev.sluice.server.drop.DropServer;
import dev.sluice.server.drop.SftpCredentials.SftpLogin;
import dev.sluice.server.drop.SftpCredentials;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * SFTP credentials for an account's drop. Posting creates them, or rotates them when they exist; the
 * password is in this answer only. An account may ask for its own, an admin for any.
 */
@RestController
class SftpCredentialsController {

    private final AccountService accounts;
    private final SftpCredentials credentials;
    private final DropServer drop;
    private final PublicUrls urls;

    SftpCredentialsController(AccountService accounts, SftpCredentials credentials, DropServer drop,
            PublicUrls urls) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.drop = drop;
        this.urls = urls;
    }

    /** What the client needs to log in; {@code host} is the public URL's host, else the one it called. */
    record SftpCredentialsView(String username, String password, String host, int port) {
    }

    @PostMapping("/api/v1/accounts/{accountId}/sftp-credentials")
    @ResponseStatus(HttpStatus.CREATED)
    SftpCredentialsView issue(Caller caller, @PathVariable String accountId) {
        if (!caller.account().admin() && !caller.accountId().equals(accountId)) {
            throw ProblemException.notFound("account", accountId);
        }
        AccountsController.requireCredentialRights(caller, "issue or rotate SFTP credentials");
        accounts.find(accountId).orElseThrow(() -> ProblemException.notFound("account", accountId));
        if (!drop.enabled()) {
            throw new ProblemException(Problem.CONFLICT,
                    "the SFTP drop is disabled on this server; an operator can enable it with sluice.drop.enabled=true");
        }
        SftpLogin login = credentials.issue(accountId);
        String host = urls.host();
        return new SftpCredentialsView(login.username(), login.password(), host, drop.port());
    }
}
