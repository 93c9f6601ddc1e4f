package dev.sluice.core.verify;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Answers kept across jobs: verdicts by scope and normalised address, facts by domain, each until its
 * expiry. A hit costs no network; the verdict it gives is marked {@code cached}. Implementations are
 * thread-safe; only definitive verdicts ({@code valid}, {@code invalid}, {@code accept_all}) are stored.
 *
 * <p>A verdict is found only in the scope it was put in: {@link #SHARED} for answers every caller shares,
 * or a caller's own scope (the server uses the account id), so that a hit never tells one account which
 * addresses another one verified. Domain facts (MX hosts, catch-all) are shared by every scope.
 */
public interface VerificationCache {

    /** The scope of verdicts shared by every caller. */
    String SHARED = "";

    /** The unexpired verdicts among {@code addresses} put in {@code scope} (misses are absent). */
    Map<String, Verdict> verdicts(String scope, Collection<String> addresses);

    /** Keeps {@code verdicts} in {@code scope} only. */
    void putVerdicts(String scope, Map<String, Verdict> verdicts);

    Optional<DomainFacts> domain(String domain);

    void putDomain(String domain, DomainFacts facts);

    /** A cache that keeps nothing. */
    static VerificationCache none() {
        return new VerificationCache() {
            @Override
            public Map<String, Verdict> verdicts(String scope, Collection<String> addresses) {
                return Map.of();
            }

            @Override
            public void putVerdicts(String scope, Map<String, Verdict> verdicts) {
            }

            @Override
            public Optional<DomainFacts> domain(String domain) {
                return Optional.empty();
            }

            @Override
            public void putDomain(String domain, DomainFacts facts) {
            }
        };
    }
}
