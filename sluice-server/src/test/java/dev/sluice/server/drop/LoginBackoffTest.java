package dev.sluice.server.drop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The SFTP login backoff as a policy, on a clock the test moves by hand. */
class LoginBackoffTest {

    private static final InetAddress ATTACKER = address("192.0.2.7");
    private static final InetAddress OWNER = address("198.51.100.20");

    private final MovingClock clock = new MovingClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginBackoff backoff = new LoginBackoff(3, Duration.ofSeconds(1), Duration.ofMinutes(5), clock);

    @Test
    void locks_double_beyond_the_free_failures_and_stop_at_the_maximum() {
        assertThat(backoff.lockFor(0)).isZero();
        assertThat(backoff.lockFor(3)).isZero();
        assertThat(backoff.lockFor(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.lockFor(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.lockFor(12)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.lockFor(13)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.lockFor(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void a_source_that_keeps_failing_is_refused_unchecked_until_its_lock_ends() {
        // given four failures from one source (three free, the fourth locks for 1 s)
        for (int i = 0; i < 4; i++) {
            assertThat(backoff.admit(ATTACKER, "acc_" + i)).isTrue();
        }

        // then every attempt from it is refused without counting, whatever the username
        assertThat(backoff.admit(ATTACKER, "acc_new")).isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(backoff.admit(ATTACKER, "acc_new")).isFalse();

        // and once the lock ends one attempt is checked, whose failure locks for twice as long
        clock.advance(Duration.ofMillis(1));
        assertThat(backoff.admit(ATTACKER, "acc_new")).isTrue();
        clock.advance(Duration.ofMillis(1999));
        assertThat(backoff.admit(ATTACKER, "acc_other")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(backoff.admit(ATTACKER, "acc_other")).isTrue();
    }

    @Test
    void a_username_guessed_from_many_sources_is_locked_for_new_sources() {
        // given four failures on one username, each from a different source
        for (int i = 1; i <= 4; i++) {
            assertThat(backoff.admit(address("203.0.113." + i), "acc_owner")).isTrue();
        }

        // then a fifth source is refused for that username, not for another one
        assertThat(backoff.admit(address("203.0.113.5"), "acc_owner")).isFalse();
        assertThat(backoff.admit(address("203.0.113.5"), "acc_someone_else")).isTrue();
    }

    @Test
    void the_owner_from_a_source_it_logged_in_from_is_not_locked_out_by_someone_else_guessing() {
        // given the owner logged in once from its source
        assertThat(backoff.admit(OWNER, "acc_owner")).isTrue();
        backoff.succeeded(OWNER, "acc_owner");

        // when an attacker fails on the owner's username until it is locked at the maximum
        for (int i = 0; i < 20; i++) {
            assertThat(backoff.admit(ATTACKER, "acc_owner")).isTrue();
            clock.advance(backoff.lockFor(i + 1));
        }
        assertThat(backoff.admit(ATTACKER, "acc_owner")).isTrue();
        assertThat(backoff.admit(address("203.0.113.9"), "acc_owner")).isFalse();

        // then the owner's own source is still checked
        assertThat(backoff.admit(OWNER, "acc_owner")).isTrue();
    }

    @Test
    void the_right_password_works_again_at_the_latest_after_the_maximum_lock() {
        // given a username locked at the maximum by a long run of failures
        for (int i = 0; i < 20; i++) {
            backoff.admit(address("203.0.113." + (i + 1)), "acc_owner");
            clock.advance(backoff.lockFor(i + 1));
        }
        assertThat(backoff.admit(address("203.0.113.99"), "acc_owner")).isTrue();
        assertThat(backoff.admit(OWNER, "acc_owner")).isFalse();

        // when the failures stop for the maximum lock
        clock.advance(Duration.ofMinutes(5));

        // then the owner's attempt is checked and, succeeding, leaves nothing behind
        assertThat(backoff.admit(OWNER, "acc_owner")).isTrue();
        backoff.succeeded(OWNER, "acc_owner");
        assertThat(backoff.admit(OWNER, "acc_owner")).isTrue();
    }

    @Test
    void a_success_takes_back_the_failure_counted_for_it() {
        // given three logins that succeed and three that fail, from one source (three are free)
        for (int i = 0; i < 3; i++) {
            assertThat(backoff.admit(OWNER, "acc_owner")).isTrue();
            backoff.succeeded(OWNER, "acc_owner");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(backoff.admit(OWNER, "acc_typo")).isTrue();
        }

        // then the next attempt of another username is still checked: only failures count
        assertThat(backoff.admit(OWNER, "acc_third")).isTrue();
    }

    @Test
    void a_quiet_key_is_forgotten_after_the_maximum() {
        // given three free failures
        for (int i = 0; i < 3; i++) {
            backoff.admit(ATTACKER, "acc_x");
        }

        // when the source is quiet for the maximum, the count starts again: three more are free
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            assertThat(backoff.admit(ATTACKER, "acc_y")).isTrue();
        }
        assertThat(backoff.admit(ATTACKER, "acc_y")).isTrue();
        assertThat(backoff.admit(ATTACKER, "acc_y")).isFalse();
    }

    @Test
    void ipv6_sources_count_per_64_block() {
        // given four failures from different addresses of one /64
        for (int i = 1; i <= 4; i++) {
            assertThat(backoff.admit(address("2001:db8:1:2::" + i), "acc_" + i)).isTrue();
        }

        // then the block is locked, its neighbour is not
        assertThat(backoff.admit(address("2001:db8:1:2:ffff::1"), "acc_new")).isFalse();
        assertThat(backoff.admit(address("2001:db8:1:3::1"), "acc_new")).isTrue();
        assertThat(LoginBackoff.sourceKey(address("2001:db8:1:2:abcd::9"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovingClock extends Clock {

        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
