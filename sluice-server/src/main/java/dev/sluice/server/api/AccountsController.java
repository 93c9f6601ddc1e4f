package dev.sluice.server.api;

import dev.sluice.server.account.Account;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.ApiKeyKind;
import dev.sluice.server.account.Caller;
import dev.sluice.server.account.IssuedKey;
import dev.sluice.server.api.Views.AccountDetailView;
import dev.sluice.server.api.Views.AccountView;
import dev.sluice.server.api.Views.KeyView;
import dev.sluice.server.api.Views.StorageView;
import dev.sluice.server.job.StorageQuota;
import dev.sluice.server.problem.Names;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Accounts and API keys. Only admin keys create accounts; an account may add keys to itself. */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountsController {


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
        if (!caller.account().admin()) {
            throw new ProblemException(Problem.FORBIDDEN, "only an admin key may create accounts");
        }
        String name = Names.check("name", request == null ? null : request.name());
        IssuedKey key = accounts.createAccount(name, false, ApiKeyKind.LIVE, null);
        Account account = accounts.find(key.accountId()).orElseThrow();
        return new AccountView(account.id(), account.name(), account.admin(), account.createdAt(), KeyView.of(key));
    }

    /** An account reads itself (an admin reads any): with the storage it keeps against its quota. */
    @GetMapping("/{accountId}")
    AccountDetailView get(Caller caller, @PathVariable String accountId) {
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
        if (!caller.account().admin() && !caller.accountId().equals(accountId)) {
            throw ProblemException.notFound("account", accountId);
        }
        accounts.find(accountId).orElseThrow(() -> ProblemException.notFound("account", accountId));
        ApiKeyKind kind;
        try {
            kind = request == null || request.kind() == null ? ApiKeyKind.LIVE : ApiKeyKind.fromWire(request.kind());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        return KeyView.of(accounts.addKey(accountId, kind));
    }
}
