package dev.sluice.server.compat.append;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.Caller;
import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.store.Ids;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import org.springframework.stereotype.Service;

/**
 * The seed's two credentials: the API key in {@code x-api-key} and a token from
 * {@code POST /{version}/authorization} in {@code AuthorizationToken}. A token is good only with the key
 * it was issued to, until {@code sluice.compat.append.token-ttl} has passed. A missing or unknown key
 * answers 403, a missing, unknown, foreign or expired token 401 (both as {@code {"message": ...}}).
 */
@Service
class AuthorizationTokens {

    static final String API_KEY_HEADER = "x-api-key";
    static final String TOKEN_HEADER = "AuthorizationToken";

    /** A token as issued: the secret, shown once, and when it stops being accepted. */
    record Issued(String token, Instant expiresAt) {
    }

    private final AccountService accounts;
    private final TokenStore store;
    private final CompatAppendProperties properties;
    private final NodeProperties node;
    private final Clock clock;

    AuthorizationTokens(AccountService accounts, TokenStore store, CompatAppendProperties properties,
            NodeProperties node, Clock clock) {
        this.accounts = accounts;
        this.store = store;
        this.properties = properties;
        this.node = node;
        this.clock = clock;
    }

    /** The caller of the API key alone, as {@code POST /{version}/authorization} needs it. */
    Caller keyHolder(HttpServletRequest request) {
        if (!node.api()) {
            throw new SeedException(503, "this node runs with the worker role only; send API requests to a node "
                    + "with the api role");
        }
        String key = request.getHeader(API_KEY_HEADER);
        if (key == null || key.isBlank()) {
            throw new SeedException(403, "Forbidden: send your API key in the x-api-key header");
        }
        return accounts.authenticate(key)
                .orElseThrow(() -> new SeedException(403, "Forbidden: the API key in x-api-key is not valid"));
    }

    /** The caller of a request that must carry both the API key and a live token issued to that key. */
    Caller caller(HttpServletRequest request) {
        Caller caller = keyHolder(request);
        String token = request.getHeader(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            throw new SeedException(401, "Unauthorized: send the token from POST /{version}/authorization in the "
                    + "AuthorizationToken header");
        }
        TokenStore.Grant grant = store.find(hash(token.strip())).filter(g -> g.keyId().equals(caller.keyId()))
                .orElseThrow(() -> new SeedException(401, "Unauthorized: the AuthorizationToken is not valid for "
                        + "this API key; ask POST /{version}/authorization for a new one"));
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw new SeedException(401, "Unauthorized: the AuthorizationToken expired at "
                    + grant.expiresAt().toEpochMilli() + "; ask POST /{version}/authorization for a new one");
        }
        return caller;
    }

    /** A new token for the caller's key; expired tokens of every key are swept on the way. */
    Issued issue(Caller caller) {
        Instant now = clock.instant();
        store.deleteExpired(now);
        String token = Ids.secret(32);
        Instant expiresAt = now.plus(properties.tokenTtl());
        store.insert(hash(token), caller.keyId(), caller.accountId(), now, expiresAt);
        return new Issued(token, expiresAt);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
