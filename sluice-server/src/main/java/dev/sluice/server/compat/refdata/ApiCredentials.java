package dev.sluice.server.compat.refdata;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.Caller;
import dev.sluice.server.config.NodeProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * The seed's two headers: {@code Api-Key} is a Sluice API key, and {@code Api-User} names the account that
 * key belongs to, by its name or by its id ({@code acc_...}), exactly. Anything missing or not matching
 * answers 401 with the seed's sentence, never saying which of the two was wrong.
 */
@Component
class ApiCredentials {

    static final String USER_HEADER = "Api-User";
    static final String KEY_HEADER = "Api-Key";

    /** The seed's words for a refused request. */
    static final String INVALID = "Invalid Api-User and/or Api-Key header value.";

    /** Who called, and the Api-User as sent (the ticket echoes it as {@code request.user}). */
    record Authenticated(Caller caller, String user) {
    }

    private final AccountService accounts;
    private final NodeProperties node;

    ApiCredentials(AccountService accounts, NodeProperties node) {
        this.accounts = accounts;
        this.node = node;
    }

    Authenticated authenticate(HttpServletRequest request) {
        if (!node.api()) {
            throw new RefDataException(503, "this node runs with the worker role only; send API requests to a node "
                    + "with the api role");
        }
        String user = request.getHeader(USER_HEADER);
        String key = request.getHeader(KEY_HEADER);
        if (user == null || user.isBlank() || key == null || key.isBlank()) {
            throw RefDataException.unauthorized("The request requires user authentication: send the Api-User and "
                    + "Api-Key headers. " + INVALID);
        }
        String name = user.strip();
        return accounts.authenticate(key)
                .filter(caller -> name.equals(caller.account().name()) || name.equals(caller.accountId()))
                .map(caller -> new Authenticated(caller, name))
                .orElseThrow(() -> RefDataException.unauthorized(INVALID));
    }
}
