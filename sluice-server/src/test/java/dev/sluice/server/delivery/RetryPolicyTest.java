package dev.sluice.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void default_policy_spreads_eight_attempts_over_about_a_day() {
        // given
        RetryPolicy policy = RetryPolicy.DEFAULT;

        // when
        Duration total = policy.delays().stream().reduce(Duration.ZERO, Duration::plus);

        // then
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(total).isBetween(Duration.ofHours(20), Duration.ofHours(28));
        assertThat(policy.delayAfter(1)).contains(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(7)).contains(Duration.ofHours(12));
        assertThat(policy.delayAfter(8)).isEmpty();
    }

    @Test
    void default_configuration_text_matches_the_default_policy() {
        // given / when
        List<Duration> parsed = java.util.Arrays.stream(RetryPolicy.DEFAULT_DELAYS.split(","))
                .map(RetryPolicyTest::parse).toList();

        // then
        assertThat(new RetryPolicy(parsed)).isEqualTo(RetryPolicy.DEFAULT);
    }

    @Test
    void negative_delays_and_attempt_zero_are_refused() {
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sluice.delivery.retry-delays");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void no_delays_means_a_single_attempt() {
        assertThat(new RetryPolicy(List.of()).maxAttempts()).isEqualTo(1);
        assertThat(new RetryPolicy(List.of()).delayAfter(1)).isEmpty();
    }

    private static Duration parse(String text) {
        char unit = text.charAt(text.length() - 1);
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException(text);
        };
    }
}
