package dev.sluice.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The score and "safe to send" of every status and reason, with the flags that move them. */
class VerdictScoreTest {

    private static Verdict verdict(VerdictStatus status, Reason reason, boolean role, boolean disposable, boolean free,
            String suggestion) {
        return new Verdict(status, reason, "ann@example.com", role, disposable, free, suggestion, false);
    }

    private static Verdict plain(VerdictStatus status, Reason reason) {
        return verdict(status, reason, false, false, false, null);
    }

    @ParameterizedTest(name = "{0}/{1} scores {2}")
    @CsvSource({
            "VALID, ACCEPTED, 95",
            "VALID, DOMAIN_ACCEPTS_MAIL, 75",
            "VALID, OFFLINE_CHECKS_PASSED, 60",
            "ACCEPT_ALL, CATCH_ALL, 50",
            "UNKNOWN, GREYLISTED, 40",
            "UNKNOWN, SMTP_TEMPORARY_FAILURE, 35",
            "UNKNOWN, MX_ADDRESS_NOT_ALLOWED, 35",
            "UNKNOWN, PROXY_FAILED, 35",
            "UNKNOWN, TIMEOUT, 35",
            "UNKNOWN, SMTP_TIMEOUT, 30",
            "UNKNOWN, SMTP_REJECTED, 30",
            "UNKNOWN, SMTP_PROTOCOL_ERROR, 25",
            "UNKNOWN, DNS_TIMEOUT, 25",
            "UNKNOWN, SMTP_UNREACHABLE, 20",
            "UNKNOWN, DNS_FAILURE, 20",
            "INVALID, MAILBOX_FULL, 10",
            "INVALID, DISPOSABLE, 5",
            "INVALID, MAILBOX_NOT_FOUND, 0",
            "INVALID, MAILBOX_DISABLED, 0",
            "INVALID, NO_SUCH_DOMAIN, 0",
            "INVALID, NULL_MX, 0",
            "INVALID, NO_MAIL_SERVER, 0",
            "INVALID, SYNTAX_MISSING_AT, 0",
    })
    void each_status_and_reason_has_its_weight(VerdictStatus status, Reason reason, int score) {
        assertThat(VerdictScore.score(plain(status, reason))).isEqualTo(score);
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void every_reason_under_every_status_scores_within_its_band(Reason reason) {
        // the policy pairs each reason with one status; the score stays in its status's band whatever the pair
        for (VerdictStatus status : VerdictStatus.values()) {
            for (int flags = 0; flags < 16; flags++) {
                Verdict verdict = verdict(status, reason, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                        (flags & 8) != 0 ? "ann@example.org" : null);
                int score = VerdictScore.score(verdict);
                switch (status) {
                    case VALID -> assertThat(score).isBetween(20, 95);
                    case ACCEPT_ALL -> assertThat(score).isBetween(35, 50);
                    case UNKNOWN -> assertThat(score).isBetween(20, 40);
                    case INVALID -> assertThat(score).isBetween(0, 10);
                }
            }
        }
    }

    @Test
    void a_valid_address_loses_points_for_role_free_and_a_likely_typo() {
        assertThat(VerdictScore.score(verdict(VerdictStatus.VALID, Reason.ACCEPTED, true, false, false, null)))
                .isEqualTo(80);
        assertThat(VerdictScore.score(verdict(VerdictStatus.VALID, Reason.ACCEPTED, false, false, true, null)))
                .isEqualTo(90);
        assertThat(VerdictScore.score(verdict(VerdictStatus.VALID, Reason.ACCEPTED, false, false, false,
                "ann@gmail.com"))).isEqualTo(75);
        assertThat(VerdictScore.score(verdict(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED, true, false, true,
                "ann@gmail.com"))).isEqualTo(20);
        assertThat(VerdictScore.score(verdict(VerdictStatus.ACCEPT_ALL, Reason.CATCH_ALL, true, false, true, null)))
                .isEqualTo(35);
    }

    @Test
    void only_valid_personal_addresses_are_safe_to_send() {
        Set<VerdictStatus> notValid = EnumSet.complementOf(EnumSet.of(VerdictStatus.VALID));
        for (Reason reason : Reason.values()) {
            for (VerdictStatus status : notValid) {
                assertThat(VerdictScore.safeToSend(plain(status, reason))).as("%s/%s", status, reason).isFalse();
            }
        }
        assertThat(VerdictScore.safeToSend(plain(VerdictStatus.VALID, Reason.ACCEPTED))).isTrue();
        assertThat(VerdictScore.safeToSend(plain(VerdictStatus.VALID, Reason.DOMAIN_ACCEPTS_MAIL))).isTrue();
        assertThat(VerdictScore.safeToSend(verdict(VerdictStatus.VALID, Reason.ACCEPTED, false, false, true,
                "ann@gmail.com"))).as("free, likely typo: still the sender's call").isTrue();
        assertThat(VerdictScore.safeToSend(verdict(VerdictStatus.VALID, Reason.ACCEPTED, true, false, false, null)))
                .as("role").isFalse();
        assertThat(VerdictScore.safeToSend(verdict(VerdictStatus.VALID, Reason.ACCEPTED, false, true, false, null)))
                .as("disposable").isFalse();
    }

    @Test
    void a_timed_out_check_is_unknown_timeout_with_the_offline_flags_and_a_decided_one_keeps_its_verdict() {
        Verdict offline = new Verdict(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED, "info@example.com", true);

        Verdict timedOut = VerdictPolicy.timedOut(new Evidence(offline, false, true, null, null, null, null, null,
                NetworkState.HEALTHY));
        Verdict disposable = VerdictPolicy.timedOut(new Evidence(offline, true, false, null, null, null, null, null,
                NetworkState.HEALTHY));

        assertThat(timedOut).isEqualTo(new Verdict(VerdictStatus.UNKNOWN, Reason.TIMEOUT, "info@example.com", true,
                false, true, null, false));
        assertThat(disposable.status()).isEqualTo(VerdictStatus.INVALID);
        assertThat(disposable.reason()).isEqualTo(Reason.DISPOSABLE);
    }
}
