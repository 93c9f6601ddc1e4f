package dev.sluice.core.verify;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Answers kept across jobs and accounts: verdicts by normalised address and facts by domain, each until
 * its expiry. A hit costs no network; the verdict it gives is marked {@code cached}. Implementations are
 * thread-safe; only definitive verdicts ({@code valid}, {@code invalid}, {@code accept_all}) are stored.
 */
public interface VerificationCache {

    /** The unexpired verdicts among {@code addresses} (misses are absent). */
    Map<String, Verdict> verdicts(Collection<String> addresses);

    void putVerdicts(Map<String, Verdict> verdicts);

    Optional<DomainFacts> domain(String domain);

    void putDomain(String domain, DomainFacts facts);

    /** A cache that keeps nothing. */
    static VerificationCache none() {
        return new VerificationCache() {
            @Override
            public Map<String, Verdict> verdicts(Collection<String> addresses) {
                return Map.of();
            }

            @Override
            public void putVerdicts(Map<String, Verdict> verdicts) {
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
