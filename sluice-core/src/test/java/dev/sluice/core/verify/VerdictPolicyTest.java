package dev.sluice.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.dns.MailDomainStatus;
import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.verify.smtp.RcptOutcome;
import dev.sluice.core.verify.smtp.RcptResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider part of the verdict function: whose RCPT answers mean nothing. */
class VerdictPolicyTest {

    static final Provider YAHOO = new Provider("yahoo", 2, 30, true);
    static final Provider GOOGLE = new Provider("google", 5, 120, false);
    static final MailDomain MX = new MailDomain("example.net", MailDomainStatus.MX,
            List.of(new MxHost("mx.example.net", 10, List.of())), Instant.EPOCH, Instant.EPOCH);
    static final RcptResult ACCEPTED = new RcptResult("ann@example.net", RcptOutcome.ACCEPTED, 250, "ok");

    @Test
    void an_accepted_rcpt_at_a_provider_whose_answers_mean_nothing_is_accept_all() {
        Verdict verdict = VerdictPolicy.decide(evidence(YAHOO, null, ACCEPTED));

        assertThat(verdict.status()).isEqualTo(VerdictStatus.ACCEPT_ALL);
        assertThat(verdict.reason()).isEqualTo(Reason.PROVIDER_ACCEPTS_ALL);
        assertThat(verdict.provider()).isEqualTo("yahoo");
    }

    @Test
    void a_refused_catch_all_probe_proves_the_provider_tells_mailboxes_apart() {
        Verdict verdict = VerdictPolicy.decide(evidence(YAHOO, Boolean.FALSE, ACCEPTED));

        assertThat(verdict.status()).isEqualTo(VerdictStatus.VALID);
        assertThat(verdict.reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void a_catch_all_domain_stays_catch_all_whatever_its_provider() {
        assertThat(VerdictPolicy.decide(evidence(YAHOO, Boolean.TRUE, ACCEPTED)).reason()).isEqualTo(Reason.CATCH_ALL);
    }

    @Test
    void a_provider_whose_answers_count_keeps_an_accepted_rcpt_valid() {
        Verdict verdict = VerdictPolicy.decide(evidence(GOOGLE, null, ACCEPTED));

        assertThat(verdict.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(verdict.provider()).isEqualTo("google");
    }

    @Test
    void a_refused_rcpt_is_not_softened_by_the_provider() {
        RcptResult unknown = new RcptResult("ann@example.net", RcptOutcome.MAILBOX_NOT_FOUND, 550, "no such user");

        assertThat(VerdictPolicy.decide(evidence(YAHOO, null, unknown)).reason()).isEqualTo(Reason.MAILBOX_NOT_FOUND);
    }

    @Test
    void without_dns_there_is_no_provider() {
        Verdict verdict = VerdictPolicy.decide(new Evidence(offline(), false, false, null, null, null, null, null,
                NetworkState.HEALTHY));

        assertThat(verdict.reason()).isEqualTo(Reason.OFFLINE_CHECKS_PASSED);
        assertThat(verdict.provider()).isNull();
    }

    /** Evidence of a well-formed address at example.net, whose MX answered {@code rcpt}. */
    private static Evidence evidence(Provider provider, Boolean catchAll, RcptResult rcpt) {
        return new Evidence(offline(), false, false, null, MX, provider, catchAll, rcpt, NetworkState.HEALTHY);
    }

    private static Verdict offline() {
        return new Verdict(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED, "ann@example.net", false);
    }
}
