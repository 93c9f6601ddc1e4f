package dev.sluice.server.api;

import dev.sluice.server.account.Account;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.ApiKeyKind;
import dev.sluice.server.account.Caller;
import dev.sluice.server.account.IssuedKey;
import dev.sluice.server.api.Views.AccountDetailView;
import dev.sluice.server.account.KeyInfo;
import dev.sluice.server.api.Views.AccountView;
import dev.sluice.server.api.Views.KeyView;
import dev.sluice.server.api.Views.StorageView;
import dev.sluice.server.job.StorageQuota;
import dev.sluice.server.problem.Names;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.api.Views.KeyInfoView;
import dev.sluice.server.api.Views.Page;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts and API keys. Only admin keys create accounts; an account may add, list and revoke its own keys.
 * Evaluation keys manage nothing: they may not create accounts, see or touch keys.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountsController {

    /** The path segment that stands for the caller's own account ({@code GET /api/v1/accounts/me}). */
    private static final String ME = "me";

    private final AccountService accounts;
    private final StorageQuota quota;

    AccountsController(AccountService accounts, StorageQuota quota) {
        this.accounts = accounts;
        this.quota = quota;
    }

    record CreateAccount(String name) {
    }

    record CreateKey(String kind) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AccountView create(Caller caller, @RequestBody CreateAccount request) {
        if (!caller.account().admin() || !caller.mayManageCredentials()) {
            throw new ProblemException(Problem.FORBIDDEN, "only an admin's live key may create accounts");
        }
        String name = Names.check("name", request == null ? null : request.name());
        IssuedKey key = accounts.createAccount(name, false, ApiKeyKind.LIVE, null);
        Account account = accounts.find(key.accountId()).orElseThrow();
        return new AccountView(account.id(), account.name(), account.admin(), account.createdAt(), KeyView.of(key));
    }

    /**
     * An account reads itself (an admin reads any): with the storage it keeps against its quota. {@code me}
     * names the key's own account, so a key alone finds its account id.
     */
    @GetMapping("/{accountId}")
    AccountDetailView get(Caller caller, @PathVariable("accountId") String requested) {
        String accountId = ME.equals(requested) ? caller.accountId() : requested;
        if (!caller.account().admin() && !caller.accountId().equals(accountId)) {
            throw ProblemException.notFound("account", accountId);
        }
        Account account = accounts.find(accountId).orElseThrow(() -> ProblemException.notFound("account", accountId));
        long limit = quota.quotaBytes();
        return new AccountDetailView(account.id(), account.name(), account.admin(), account.createdAt(),
                new StorageView(quota.usedBytes(accountId), limit > 0 ? limit : null));
    }

    @PostMapping("/{accountId}/keys")
    @ResponseStatus(HttpStatus.CREATED)
    KeyView addKey(Caller caller, @PathVariable String accountId, @RequestBody(required = false) CreateKey request) {
        ownAccount(caller, accountId, "add keys");
        ApiKeyKind kind;
        try {
            kind = request == null || request.kind() == null ? ApiKeyKind.LIVE : ApiKeyKind.fromWire(request.kind());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        return KeyView.of(accounts.addKey(accountId, kind));
    }

    /** The account's active keys: id, kind, the first characters of the secret, never the secret. */
    @GetMapping("/{accountId}/keys")
    Page<KeyInfoView> keys(Caller caller, @PathVariable String accountId) {
        ownAccount(caller, accountId, "list keys");
        return new Page<>(accounts.keys(accountId).stream().map(KeyInfoView::of).toList(), null);
    }

    /**
     * Revokes a key: it answers 401 from now on on this node, and within a second on the other nodes of a cluster
     * ({@code AccountService.KNOWN_KEY_NANOS}). The account's last active key stays (409).
     */
    @DeleteMapping("/{accountId}/keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeKey(Caller caller, @PathVariable String accountId, @PathVariable String keyId) {
        ownAccount(caller, accountId, "revoke keys");
        switch (accounts.revokeKey(accountId, keyId)) {
            case REVOKED -> {
            }
            case NOT_FOUND -> throw ProblemException.notFound("key", keyId);
            case LAST_KEY -> throw new ProblemException(Problem.CONFLICT, "key " + keyId
                    + " is the last active key of account " + accountId + "; add another key first, then revoke this one");
        }
    }

    /**
     * The account the path names, when the caller may manage its keys: its own account, or any for an
     * admin; another tenant's id answers 404, an evaluation key 403.
     */
    private void ownAccount(Caller caller, String accountId, String what) {
        if (!caller.account().admin() && !caller.accountId().equals(accountId)) {
            throw ProblemException.notFound("account", accountId);
        }
        requireCredentialRights(caller, what);
        accounts.find(accountId).orElseThrow(() -> ProblemException.notFound("account", accountId));
    }

    /** Refuses evaluation keys: they may not manage keys or credentials. */
    static void requireCredentialRights(Caller caller, String what) {
        if (!caller.mayManageCredentials()) {
            throw new ProblemException(Problem.FORBIDDEN, "an evaluation key may not " + what
                    + "; use a live key of the account");
        }
    }
}
