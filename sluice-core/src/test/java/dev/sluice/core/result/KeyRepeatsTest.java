package dev.sluice.core.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRepeatsTest {

    @Test
    void distinct_keys_are_told_apart_and_a_repeat_is_found_wherever_it_is() {
        // given more keys than expected, so that the fingerprints grow
        KeyRepeats distinct = new KeyRepeats(10);
        KeyRepeats repeated = new KeyRepeats(10);
        for (int i = 0; i < 100_000; i++) {
            distinct.add("key-" + i);
            repeated.add("key-" + i);
        }

        // when one of them gets an early key again
        repeated.add("key-17");

        // then
        assertThat(distinct.mayRepeat()).isFalse();
        assertThat(repeated.mayRepeat()).isTrue();
    }

    @Test
    void no_keys_and_one_key_never_repeat() {
        KeyRepeats one = new KeyRepeats(0);
        assertThat(one.mayRepeat()).isFalse();
        one.add("");
        assertThat(one.mayRepeat()).isFalse();
    }
}
