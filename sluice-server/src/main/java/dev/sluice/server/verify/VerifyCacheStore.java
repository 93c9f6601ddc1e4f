package dev.sluice.server.verify;

import dev.sluice.core.verify.DomainFacts;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.dns.MailDomainStatus;
import dev.sluice.core.verify.dns.MxHost;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The verification cache in the store, so every node and every job shares it. Verdicts are kept by scope
 * (an account id, or {@link VerificationCache#SHARED}) and found only in their own scope; they expire
 * after the verdict TTL. Domain facts are shared and expire at their own time. Reads skip expired rows;
 * writes replace.
 */
public class VerifyCacheStore implements VerificationCache {

    /** Addresses per IN (...) query: well inside every dialect's parameter limit. */
    static final int READ_BATCH = 500;

    private static final String SELECT_VERDICTS = """
            SELECT address, status, reason, role, disposable, free, suggestion, provider FROM verify_cache_verdicts
            WHERE scope = :scope AND address IN (:addresses) AND expires_at > :now
            """;

    private static final String UPSERT_VERDICT = """
            INSERT INTO verify_cache_verdicts
                (scope, address, status, reason, role, disposable, free, suggestion, provider, expires_at)
            VALUES (:scope, :address, :status, :reason, :role, :disposable, :free, :suggestion, :provider, :expires_at)
            ON CONFLICT (scope, address) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                role = excluded.role, disposable = excluded.disposable, free = excluded.free,
                suggestion = excluded.suggestion, provider = excluded.provider, expires_at = excluded.expires_at
            """;

    private static final String SELECT_DOMAIN = """
            SELECT facts_json FROM verify_cache_domains WHERE domain = :domain AND expires_at > :now
            """;

    private static final String UPSERT_DOMAIN = """
            INSERT INTO verify_cache_domains (domain, facts_json, expires_at) VALUES (:domain, :facts_json, :expires_at)
            ON CONFLICT (domain) DO UPDATE SET facts_json = excluded.facts_json, expires_at = excluded.expires_at
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JsonMapper json;
    private final Duration verdictTtl;
    private final Clock clock;

    public VerifyCacheStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, JsonMapper json, Duration verdictTtl, Clock clock) {
        this.jdbc = jdbc;
        this.named = named;
        this.json = json;
        this.verdictTtl = verdictTtl;
        this.clock = clock;
    }

    @Override
    public Map<String, Verdict> verdicts(String scope, Collection<String> addresses) {
        Map<String, Verdict> hits = new HashMap<>();
        List<String> all = new ArrayList<>(addresses);
        long now = clock.millis();
        for (int from = 0; from < all.size(); from += READ_BATCH) {
            List<String> slice = all.subList(from, Math.min(all.size(), from + READ_BATCH));
            jdbc.sql(SELECT_VERDICTS).param("scope", scope).param("addresses", slice).param("now", now).query((rs, row) -> {
                String address = rs.getString("address");
                hits.put(address, new Verdict(VerdictStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                        Reason.valueOf(rs.getString("reason").toUpperCase(Locale.ROOT)), address, rs.getBoolean("role"),
                        rs.getBoolean("disposable"), rs.getBoolean("free"), rs.getString("suggestion"), false,
                        rs.getString("provider")));
                return null;
            }).list();
        }
        return hits;
    }

    @Override
    public void putVerdicts(String scope, Map<String, Verdict> verdicts) {
        long expires = clock.instant().plus(verdictTtl).toEpochMilli();
        MapSqlParameterSource[] rows = verdicts.values().stream()
                .map(v -> new MapSqlParameterSource()
                        .addValue("scope", scope)
                        .addValue("address", v.normalized())
                        .addValue("status", v.status().wire())
                        .addValue("reason", v.reason().code())
                        .addValue("role", v.role())
                        .addValue("disposable", v.disposable())
                        .addValue("free", v.free())
                        .addValue("suggestion", v.suggestion())
                        .addValue("provider", v.provider())
                        .addValue("expires_at", expires))
                .toArray(MapSqlParameterSource[]::new);
        named.batchUpdate(UPSERT_VERDICT, rows);
    }

    @Override
    public Optional<DomainFacts> domain(String domain) {
        return jdbc.sql(SELECT_DOMAIN).param("domain", domain).param("now", clock.millis())
                .query(String.class).optional().map(this::fromJson);
    }

    @Override
    public void putDomain(String domain, DomainFacts facts) {
        jdbc.sql(UPSERT_DOMAIN)
                .param("domain", domain)
                .param("facts_json", json.writeValueAsString(toStored(facts)))
                .param("expires_at", facts.expiresAt().toEpochMilli())
                .update();
    }

    /** The JSON form of domain facts. */
    record StoredFacts(String domain, String status, List<StoredMx> mx, long resolvedAt, long expiresAt, Boolean catchAll) {
    }

    record StoredMx(String host, int preference, List<String> addresses) {
    }

    private static StoredFacts toStored(DomainFacts facts) {
        MailDomain mail = facts.mail();
        List<StoredMx> mx = mail.mxHosts().stream()
                .map(h -> new StoredMx(h.host(), h.preference(),
                        h.addresses().stream().map(InetAddress::getHostAddress).toList()))
                .toList();
        return new StoredFacts(mail.domain(), mail.status().name(), mx, mail.resolvedAt().toEpochMilli(),
                facts.expiresAt().toEpochMilli(), facts.catchAll());
    }

    private DomainFacts fromJson(String text) {
        StoredFacts stored = json.readValue(text, StoredFacts.class);
        List<MxHost> hosts = new ArrayList<>();
        for (StoredMx mx : stored.mx()) {
            List<InetAddress> addresses = new ArrayList<>();
            for (String address : mx.addresses()) {
                try {
                    // a literal IP: no lookup happens
                    addresses.add(InetAddress.getByName(address));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("cached MX address is not an IP literal: " + address, e);
                }
            }
            hosts.add(new MxHost(mx.host(), mx.preference(), addresses));
        }
        Instant expires = Instant.ofEpochMilli(stored.expiresAt());
        MailDomain mail = new MailDomain(stored.domain(), MailDomainStatus.valueOf(stored.status()), hosts,
                Instant.ofEpochMilli(stored.resolvedAt()), expires);
        return new DomainFacts(mail, stored.catchAll(), expires);
    }
}
