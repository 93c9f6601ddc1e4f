package dev.sluice.core.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.append.Normalizer.Rule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MatchKeyTest {

    /** first_name, last_name, address, zip: the match of the email-append seed. */
    private final MatchKey key = new MatchKey(List.of(Rule.GENERIC, Rule.GENERIC, Rule.ADDRESS, Rule.ZIP));

    private static final List<String> DATASET = List.of("John", "Smith", "123 Main Street", "12345");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "same values|John|Smith|123 Main Street|12345|EXACT",
            "other case and spaces|  JOHN |smith|123 MAIN STREET| 12345|EXACT",
            "abbreviated street|John|Smith|123 main st.|12345|NORMALIZED",
            "zip plus 4|John|Smith|123 Main Street|12345-6789|NORMALIZED",
            "all at once|JOHN|SMITH|123 Main St|12345-6789|NORMALIZED",
            "other house number|John|Smith|125 Main Street|12345|NONE",
            "other person|Jane|Smith|123 Main Street|12345|NONE",
    })
    void code_tells_exact_from_normalized_from_none(String name, String first, String last, String address,
            String zip, MatchCode expected) {
        List<String> input = List.of(first, last, address, zip);

        assertThat(key.code(input, DATASET)).isEqualTo(expected);
        assertThat(key.digest(input).equals(key.digest(DATASET))).isEqualTo(expected != MatchCode.NONE);
    }

    @Test
    void digest_is_64_hex_digits_and_separates_columns() {
        MatchKey two = new MatchKey(List.of(Rule.GENERIC, Rule.GENERIC));

        assertThat(two.digest(List.of("ab", "c"))).hasSize(64).matches("[0-9a-f]+");
        assertThat(two.digest(List.of("ab", "c"))).isNotEqualTo(two.digest(List.of("a", "bc")));
        assertThat(two.normalized(List.of("Ann", "Lee"))).isEqualTo("ann\u001Flee");
    }

    @Test
    void blank_is_true_only_when_every_value_normalises_to_nothing() {
        MatchKey two = new MatchKey(List.of(Rule.GENERIC, Rule.ZIP));

        assertThat(two.blank(Arrays.asList(" ", null))).isTrue();
        assertThat(two.blank(List.of("--", "."))).isTrue();
        assertThat(two.blank(List.of("", "12345"))).isFalse();
    }

    @Test
    void values_must_be_one_per_column() {
        assertThatThrownBy(() -> key.normalized(List.of("John"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4 values");
        assertThatThrownBy(() -> new MatchKey(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
