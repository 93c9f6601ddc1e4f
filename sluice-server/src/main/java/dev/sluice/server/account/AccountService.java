package dev.sluice.server.account;

import dev.sluice.server.store.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Accounts and their API keys: creating them and recognising a key on a request. */
@Service
public class AccountService {

    /**
     * How long a node answers a key from memory before asking the store again. A key revoked on this node stops
     * at once; on the other nodes of a cluster within this time.
     */
    public static final long KNOWN_KEY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Keys remembered at most; past it the memory starts over rather than grow. */
    static final int KNOWN_KEYS_MAX = 10_000;

    private final AccountStore store;
    /**
     * Callers of the keys seen in the last {@link #KNOWN_KEY_NANOS}, by key hash: the store's look-up was 13 to
     * 15 % of a {@code GET /api/v1/jobs/{id}}'s CPU. Accounts and keys never change but by revocation.
     */
    private final ConcurrentHashMap<String, KnownKey> knownKeys = new ConcurrentHashMap<>();
    private final TransactionTemplate tx;
    private final Clock clock;

    public AccountService(AccountStore store, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    /** A new account with its first key; {@code key} is the secret to use, or null to generate one. */
    public IssuedKey createAccount(String name, boolean admin, ApiKeyKind kind, String key) {
        Instant now = clock.instant();
        Account account = new Account(Ids.next("acc"), name, admin, now);
        return tx.execute(status -> {
            store.insertAccount(account);
            return issueKey(account.id(), kind, key, now);
        });
    }

    /** Adds a key to an existing account. */
    public IssuedKey addKey(String accountId, ApiKeyKind kind) {
        return tx.execute(status -> issueKey(accountId, kind, null, clock.instant()));
    }

    /** The account's active keys, without their secrets. */
    public java.util.List<KeyInfo> keys(String accountId) {
        return store.activeKeys(accountId);
    }

    /** What became of a revocation. */
    public enum Revocation {
        /** The key no longer authenticates. */
        REVOKED,
        /** The account has no active key with that id. */
        NOT_FOUND,
        /** It is the account's last active key; revoking it would lock the account out. */
        LAST_KEY
    }

    /** Revokes one of the account's keys, unless it is the last one that still works. */
    public Revocation revokeKey(String accountId, String keyId) {
        Instant now = clock.instant();
        Revocation revocation = tx.execute(status -> {
            store.lockAccount(accountId);
            boolean active = store.activeKeys(accountId).stream().anyMatch(key -> key.id().equals(keyId));
            if (!active) {
                return Revocation.NOT_FOUND;
            }
            if (store.countActiveKeys(accountId) <= 1) {
                return Revocation.LAST_KEY;
            }
            return store.revokeKey(accountId, keyId, now) ? Revocation.REVOKED : Revocation.NOT_FOUND;
        });
        if (revocation == Revocation.REVOKED) {
            // after the commit: a request from now on asks the store, which no longer knows the key
            knownKeys.values().removeIf(known -> known.caller().keyId().equals(keyId));
        }
        return revocation;
    }

    public Optional<Account> find(String accountId) {
        return store.find(accountId);
    }

    /**
     * The admin account the first start created. The command line uses it in-process to give itself a key
     * on a data directory whose admin key was printed once and is not known to it.
     */
    public Optional<Account> firstAdmin() {
        return store.findFirstAdmin();
    }

    public boolean hasAccounts() {
        return store.countAccounts() > 0;
    }

    /** The caller a key belongs to, if any. */
    public Optional<Caller> authenticate(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        String keyHash = hash(key.strip());
        long now = System.nanoTime();
        KnownKey known = knownKeys.get(keyHash);
        if (known != null && now - known.until() < 0) {
            return Optional.of(known.caller());
        }
        Optional<Caller> caller = store.findByKeyHash(keyHash);
        if (caller.isPresent()) {
            if (knownKeys.size() >= KNOWN_KEYS_MAX) {
                knownKeys.clear();
            }
            knownKeys.put(keyHash, new KnownKey(caller.get(), now + KNOWN_KEY_NANOS));
        } else {
            knownKeys.remove(keyHash);
        }
        return caller;
    }

    /** A key's caller as the store answered it, good until {@code until} ({@link System#nanoTime}). */
    private record KnownKey(Caller caller, long until) {
    }

    private IssuedKey issueKey(String accountId, ApiKeyKind kind, String key, Instant now) {
        String secret = key != null ? key : "sk_" + kind.keyTag() + "_" + Ids.secret(24);
        String id = Ids.next("key");
        store.insertKey(id, accountId, kind, hash(secret), secret.substring(0, Math.min(12, secret.length())), now);
        return new IssuedKey(id, accountId, kind, secret, now);
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
