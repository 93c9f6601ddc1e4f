package dev.sluice.server.api;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.Caller;
import dev.sluice.server.account.CreditStore;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.util.OptionalLong;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's credit balance, charged by the email verification front door. Unlimited unless set; an
 * admin sets it, an account reads its own.
 */
@RestController
class CreditsController {

    private final CreditStore credits;
    private final AccountService accounts;
    private final TransactionTemplate tx;

    CreditsController(CreditStore credits, AccountService accounts, TransactionTemplate tx) {
        this.credits = credits;
        this.accounts = accounts;
        this.tx = tx;
    }

    /** {@code balance} null means unlimited. */
    record CreditsView(String accountId, Long balance, boolean unlimited) {
    }

    record SetCredits(Long balance) {
    }

    @GetMapping("/api/v1/accounts/{accountId}/credits")
    CreditsView get(Caller caller, @PathVariable String accountId) {
        visible(caller, accountId);
        OptionalLong balance = credits.balance(accountId);
        return new CreditsView(accountId, balance.isPresent() ? balance.getAsLong() : null, balance.isEmpty());
    }

    @PutMapping("/api/v1/accounts/{accountId}/credits")
    CreditsView set(Caller caller, @PathVariable String accountId, @RequestBody SetCredits request) {
        if (!caller.account().admin()) {
            throw new ProblemException(Problem.FORBIDDEN, "only an admin key may set credit balances");
        }
        visible(caller, accountId);
        Long balance = request == null ? null : request.balance();
        if (balance != null && balance < 0) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'balance' must be 0 or more, or null for unlimited");
        }
        tx.executeWithoutResult(status -> credits.setBalance(accountId, balance));
        return get(caller, accountId);
    }

    private void visible(Caller caller, String accountId) {
        if (!caller.account().admin() && !caller.accountId().equals(accountId)) {
            throw ProblemException.notFound("account", accountId);
        }
        accounts.find(accountId).orElseThrow(() -> ProblemException.notFound("account", accountId));
    }
}
