package dev.sluice.server.verify;

import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.account.ApiKeyKind;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One address verified now ({@code POST /api/v1/verify}): the jobs' engine, with its cache (in the account's
 * scope unless {@code sluice.verify.cache.scope} is {@code global}) and per-domain limits, answering by the
 * caller's deadline, deciding first by the account's own rules ({@link AccountRuleStore}) as a job does.
 * Evaluation keys get {@link VerifyProperties.Single#evaluationDailyLimit()} checks per
 * account and UTC day. Each verdict counts in {@value #CHECKS}{@code {status}}.
 */
@Component
public class SingleCheck {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    /** Single-address checks answered, by verdict status. */
    public static final String CHECKS = "sluice.verify.single.checks";

    private final VerificationEngine engine;
    private final VerifyProperties.CacheScope cacheScope;
    private final VerifyProperties.Single settings;
    private final SingleCheckStore usage;
    private final AccountRuleStore rules;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<VerdictStatus, Counter> checks = new EnumMap<>(VerdictStatus.class);

    SingleCheck(VerificationEngine engine, VerifyProperties properties, SingleCheckStore usage,
            AccountRuleStore rules, TransactionTemplate tx, Clock clock, MeterRegistry registry) {
        this.engine = engine;
        this.cacheScope = properties.cache().scope();
        this.settings = properties.single();
        this.usage = usage;
        this.rules = rules;
        this.tx = tx;
        this.clock = clock;
        // every series exists from the start, so rates and dashboards see zeros rather than gaps
        for (VerdictStatus status : VerdictStatus.values()) {
            checks.put(status, Counter.builder(CHECKS)
                    .description("Single-address checks answered, by verdict status")
                    .tag("status", status.wire())
                    .register(registry));
        }
    }

    /**
     * The deadline a request asks for: {@code requested} as a number and a unit ({@code 20s}, {@code 1500ms},
     * {@code 2m}), above zero and at most the configured maximum; the configured default when null.
     *
     * @throws ProblemException {@link Problem#INVALID_REQUEST} naming the field and the accepted values
     */
    public Duration timeout(String requested) {
        if (requested == null) {
            return settings.defaultTimeout();
        }
        Matcher m = DURATION.matcher(requested.strip());
        Duration timeout = null;
        if (m.matches() && m.group(1).length() <= 9) {
            long amount = Long.parseLong(m.group(1));
            timeout = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        if (timeout == null || timeout.isZero() || timeout.compareTo(settings.maxTimeout()) > 0) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'timeout' must be a duration such as \"20s\", "
                    + "\"1500ms\" or \"2m\", above 0 and at most " + settings.maxTimeout().toSeconds() + "s; leave it "
                    + "out for " + settings.defaultTimeout().toSeconds() + "s");
        }
        return timeout;
    }

    /**
     * Verifies {@code email} for the caller, waiting at most {@code timeout} (see {@link #timeout(String)}) for
     * DNS and SMTP.
     *
     * @throws ProblemException {@link Problem#TOO_MANY_CHECKS} when an evaluation key's account used its checks
     *                          of the day, with the time until the next UTC day as its retry-after
     */
    public Verdict check(Caller caller, String email, Duration timeout) {
        if (caller.keyKind() == ApiKeyKind.EVALUATION) {
            takeEvaluationCheck(caller.accountId());
        }
        // as for jobs: with the account scope, no account reuses (or learns of) another's verdicts
        String scope = cacheScope == VerifyProperties.CacheScope.ACCOUNT ? caller.accountId()
                : VerificationCache.SHARED;
        Verdict verdict = engine.verify(email, scope, rules.rules(caller.accountId()), timeout);
        checks.get(verdict.status()).increment();
        return verdict;
    }

    private void takeEvaluationCheck(String accountId) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long limit = settings.evaluationDailyLimit();
        Boolean taken = tx.execute(status -> usage.take(accountId, today.toEpochDay(), limit));
        if (!Boolean.TRUE.equals(taken)) {
            Duration untilTomorrow = Duration.between(now, today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            throw new ProblemException(Problem.TOO_MANY_CHECKS, "an evaluation key's account may make " + limit
                    + " single-address checks per day (UTC); retry after midnight UTC, or use a live key",
                    untilTomorrow);
        }
    }
}
