package dev.sluice.server.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL for the SMTP throttles every node shares: leases of open connections and RCPT TO counted per minute,
 * per scope (a provider or a domain), with a backoff that halves a scope's limits for a while. Each
 * acquisition locks the rows of its scopes first (an upsert), so two nodes never both take the last slot; a
 * caller locks a provider's scope before a domain's, always in that order. A lease counts while its
 * {@code expires_at} is ahead; the node holding it renews it.
 */
public class ThrottleStore {

    /** RCPT TO are counted in fixed windows of this length. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final String LOCK_SCOPE = """
            INSERT INTO smtp_throttle_scopes (scope, window_start, rcpts, backoff_until, throttled)
            VALUES (:scope, 0, 0, 0, 0)
            ON CONFLICT (scope) DO UPDATE SET window_start = smtp_throttle_scopes.window_start
            """;

    private static final String SELECT_SCOPE = """
            SELECT window_start, rcpts, backoff_until FROM smtp_throttle_scopes WHERE scope = :scope
            """;

    private static final String COUNT_PROVIDER_LEASES = """
            SELECT COUNT(*) FROM smtp_throttle_leases WHERE provider = :name AND expires_at > :now
            """;

    private static final String COUNT_DOMAIN_LEASES = """
            SELECT COUNT(*) FROM smtp_throttle_leases WHERE domain = :name AND expires_at > :now
            """;

    private static final String INSERT_LEASE = """
            INSERT INTO smtp_throttle_leases (id, provider, domain, node, expires_at)
            VALUES (:id, :provider, :domain, :node, :expires_at)
            """;

    private static final String DELETE_LEASE = """
            DELETE FROM smtp_throttle_leases WHERE id = :id
            """;

    private static final String COUNT_RCPTS = """
            UPDATE smtp_throttle_scopes SET window_start = :window, rcpts = :rcpts WHERE scope = :scope
            """;

    private static final String BACKOFF = """
            UPDATE smtp_throttle_scopes SET backoff_until = :until, throttled = throttled + 1 WHERE scope = :scope
            """;

    private static final String RENEW = """
            UPDATE smtp_throttle_leases SET expires_at = :expires_at WHERE node = :node
            """;

    private static final String PURGE_LEASES = """
            DELETE FROM smtp_throttle_leases WHERE expires_at <= :now
            """;

    private static final String PURGE_DOMAIN_SCOPES = """
            DELETE FROM smtp_throttle_scopes
            WHERE scope LIKE 'domain:%' AND window_start < :before AND backoff_until < :before
            """;

    private static final String PROVIDER_SCOPES = """
            SELECT scope, backoff_until, throttled FROM smtp_throttle_scopes WHERE scope LIKE 'provider:%'
            """;

    private static final String PROVIDER_LEASES = """
            SELECT provider, COUNT(*) AS in_use FROM smtp_throttle_leases
            WHERE provider IS NOT NULL AND expires_at > :now GROUP BY provider
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public ThrottleStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Whose limits a scope holds. */
    enum Kind {
        PROVIDER, DOMAIN;

        String scope(String name) {
            return this == PROVIDER ? "provider:" + name : "domain:" + name;
        }
    }

    /**
     * The limits of one scope as configured, before any backoff.
     *
     * @param connections   connections open at once; 0 for no limit
     * @param rcptPerMinute RCPT TO per minute; 0 for no limit
     */
    record ScopeLimit(Kind kind, String name, int connections, int rcptPerMinute) {
        String scope() {
            return kind.scope(name);
        }
    }

    /** A provider's throttle as it stands: its live leases, and its backoff (null when none is running). */
    record ProviderState(int inUse, Instant backoffUntil, int throttled) {
    }

    /**
     * Takes a lease on one connection when every scope has a free slot (limits halved, at least 1, in a
     * backoff); answers false and takes nothing otherwise.
     */
    boolean tryLease(String id, List<ScopeLimit> scopes, String provider, String domain, String node, Instant now,
            Instant expiresAt) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            long at = now.toEpochMilli();
            for (ScopeLimit limit : scopes) {
                Scope scope = lock(limit.scope());
                int allowed = scope.effective(limit.connections(), at);
                if (allowed > 0) {
                    long used = jdbc.sql(limit.kind() == Kind.PROVIDER ? COUNT_PROVIDER_LEASES : COUNT_DOMAIN_LEASES)
                            .param("name", limit.name()).param("now", at).query(Long.class).single();
                    if (used >= allowed) {
                        return false;
                    }
                }
            }
            jdbc.sql(INSERT_LEASE).param("id", id).param("provider", provider).param("domain", domain)
                    .param("node", node).param("expires_at", expiresAt.toEpochMilli()).update();
            return true;
        }));
    }

    void release(String id) {
        jdbc.sql(DELETE_LEASE).param("id", id).update();
    }

    /**
     * Grants up to {@code wanted} RCPT TO in the current window of every scope with a rate limit; answers how
     * many (0 when a scope has used its window up).
     */
    int tryRcpts(List<ScopeLimit> scopes, int wanted, Instant now) {
        Integer granted = tx.execute(status -> {
            long at = now.toEpochMilli();
            long window = at - Math.floorMod(at, WINDOW.toMillis());
            int grant = wanted;
            Map<String, Integer> used = new LinkedHashMap<>();
            for (ScopeLimit limit : scopes) {
                Scope scope = lock(limit.scope());
                int allowed = scope.effective(limit.rcptPerMinute(), at);
                if (allowed == 0) {
                    continue;
                }
                int spent = scope.windowStart == window ? scope.rcpts : 0;
                grant = Math.min(grant, Math.max(0, allowed - spent));
                used.put(limit.scope(), spent);
            }
            if (grant > 0) {
                for (Map.Entry<String, Integer> entry : used.entrySet()) {
                    jdbc.sql(COUNT_RCPTS).param("window", window).param("rcpts", entry.getValue() + grant)
                            .param("scope", entry.getKey()).update();
                }
            }
            return grant;
        });
        return granted == null ? 0 : granted;
    }

    /** Halves the scope's limits until {@code until}, and counts the answer that made it so. */
    void backoff(Kind kind, String name, Instant until) {
        tx.executeWithoutResult(status -> {
            lock(kind.scope(name));
            jdbc.sql(BACKOFF).param("until", until.toEpochMilli()).param("scope", kind.scope(name)).update();
        });
    }

    /** Keeps the leases of {@code node} alive until {@code expiresAt}. */
    void renew(String node, Instant expiresAt) {
        jdbc.sql(RENEW).param("expires_at", expiresAt.toEpochMilli()).param("node", node).update();
    }

    /** Deletes lapsed leases, and domain scopes untouched since {@code before} (providers keep theirs). */
    void purge(Instant now, Instant before) {
        jdbc.sql(PURGE_LEASES).param("now", now.toEpochMilli()).update();
        jdbc.sql(PURGE_DOMAIN_SCOPES).param("before", before.toEpochMilli()).update();
    }

    /** Every provider with a scope row or a live lease, by name. */
    Map<String, ProviderState> providers(Instant now) {
        long at = now.toEpochMilli();
        Map<String, ProviderState> states = new LinkedHashMap<>();
        jdbc.sql(PROVIDER_SCOPES).query((rs, row) -> {
            long until = rs.getLong("backoff_until");
            states.put(rs.getString("scope").substring("provider:".length()),
                    new ProviderState(0, until > at ? Instant.ofEpochMilli(until) : null, rs.getInt("throttled")));
            return null;
        }).list();
        jdbc.sql(PROVIDER_LEASES).param("now", at).query((rs, row) -> {
            String name = rs.getString("provider");
            ProviderState known = states.get(name);
            states.put(name, new ProviderState(rs.getInt("in_use"), known == null ? null : known.backoffUntil(),
                    known == null ? 0 : known.throttled()));
            return null;
        }).list();
        return states;
    }

    private Scope lock(String scope) {
        jdbc.sql(LOCK_SCOPE).param("scope", scope).update();
        return jdbc.sql(SELECT_SCOPE).param("scope", scope)
                .query((rs, row) -> new Scope(rs.getLong("window_start"), rs.getInt("rcpts"), rs.getLong("backoff_until")))
                .single();
    }

    /** A scope's row, read under its lock. */
    private record Scope(long windowStart, int rcpts, long backoffUntil) {

        /** {@code limit} as it applies now: halved (at least 1) while a backoff runs; 0 stays "no limit". */
        int effective(int limit, long now) {
            if (limit == 0 || backoffUntil <= now) {
                return limit;
            }
            return Math.max(1, limit / 2);
        }
    }
}
