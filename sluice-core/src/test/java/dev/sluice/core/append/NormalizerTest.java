package dev.sluice.core.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.append.Normalizer.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class NormalizerTest {

    @ParameterizedTest(name = "generic: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "John|john",
            "JOHN|john",
            "  John   Q.  Public |john q public",
            "O'Brien|obrien",
            "O\u2019Brien|obrien",
            "Mary-Jane|mary jane",
            "Smith, Jr.|smith jr",
            "Stra\u00DFe|strasse",
            "\uFF2A\uFF4F\uFF48\uFF4E|john",
            "Jo\u00ADhn|john",
            "Jos\u00E9|jos\u00E9",
            "Jose\u0301|jos\u00E9",
            "\u00A0Ann\u2003Lee\t|ann lee",
            "\u2460|1",
            "a/b\\c|a b c",
            "!!!|''",
    })
    void generic_rule_folds_case_collapses_whitespace_and_drops_punctuation(String raw, String expected) {
        assertThat(Normalizer.normalize(Rule.GENERIC, raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "address: [{0}] = [{1}]")
    @CsvSource(delimiter = '|', value = {
            "123 Main Street|123 main st.",
            "123 Main Street|123 MAIN ST",
            "123 Main Str|123 Main St",
            "45 Oak Avenue|45 oak ave.",
            "45 Oak Av|45 Oak Ave",
            "7 Elm Road|7 Elm Rd",
            "1 Sunset Boulevard|1 Sunset Blvd.",
            "9 Park Drive|9 Park Dr",
            "3 Lovers Lane|3 Lovers Ln",
            "8 King Court|8 King Ct",
            "2 Queen Place|2 Queen Pl",
            "100 North Main Street|100 N. Main St.",
            "100 South Main St|100 S Main St",
            "100 East Main St|100 E Main St",
            "100 West Main St|100 W Main St",
            "5 Northeast 3rd Ave|5 NE 3rd Ave",
            "5 Northwest 3rd Ave|5 N.W. 3rd Ave",
            "5 Southeast 3rd Ave|5 SE 3rd Ave",
            "5 Southwest 3rd Ave|5 S.W. 3rd Ave",
            "12 Elm St Apartment 4|12 Elm St Apt 4",
            "12 Elm St Apt. 4|12 Elm St #4",
            "12 Elm St, Apt 4B|12 elm st # 4b",
            "200 Market St Suite 300|200 Market St Ste 300",
            "200 Market St Suite #300|200 Market St Ste 300",
            "1 Coastal Highway|1 Coastal Hwy",
            "1 Garden State Parkway|1 Garden State Pkwy",
            "4 Oak Circle|4 Oak Cir",
            "6 Hill Terrace|6 Hill Ter",
    })
    void address_rule_meets_both_spellings_in_one_form(String longForm, String shortForm) {
        assertThat(Normalizer.normalize(Rule.ADDRESS, longForm))
                .isEqualTo(Normalizer.normalize(Rule.ADDRESS, shortForm));
    }

    @ParameterizedTest(name = "address: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "123 Main Street|123 main st",
            "100 North Main Street Apartment 4|100 n main st apt 4",
            "#4|apt 4",
            "Suite #5|ste 5",
            "12 Elm St.,  Apt. 4|12 elm st apt 4",
    })
    void address_rule_canonical_form_is_the_usps_abbreviation(String raw, String expected) {
        assertThat(Normalizer.normalize(Rule.ADDRESS, raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "address: [{0}] != [{1}]")
    @CsvSource(delimiter = '|', value = {
            "123 Main St|124 Main St",
            "123 Main St|123 Main Ave",
            "100 N Main St|100 S Main St",
            "12 Elm St Apt 4|12 Elm St Apt 5",
    })
    void address_rule_keeps_different_addresses_apart(String a, String b) {
        assertThat(Normalizer.normalize(Rule.ADDRESS, a)).isNotEqualTo(Normalizer.normalize(Rule.ADDRESS, b));
    }

    @ParameterizedTest(name = "zip: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "12345|12345",
            "12345-6789|12345",
            " 12345 6789 |12345",
            "123456789|12345",
            "2134|02134",
            "501|00501",
            "SW1A 1AA|sw1a1aa",
            "k1a 0b1|k1a0b1",
            "\uFF11\uFF12\uFF13\uFF14\uFF15|12345",
    })
    void zip_rule_reduces_zip_plus_4_to_zip5(String raw, String expected) {
        assertThat(Normalizer.normalize(Rule.ZIP, raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "email: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "  John.Doe@Example.COM |john.doe@example.com",
            "<ann@example.com>|ann@example.com",
            "mailto:Ann@Example.com|ann@example.com",
            "ann@example.com.|ann@example.com",
            "ANN+news@EXAMPLE.NET|ann+news@example.net",
    })
    void email_rule_gives_the_canonical_address(String raw, String expected) {
        assertThat(Normalizer.normalize(Rule.EMAIL, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void null_and_blank_normalise_to_empty_under_every_rule(Rule rule) {
        assertThat(Normalizer.normalize(rule, null)).isEmpty();
        assertThat(Normalizer.normalize(rule, "  \t ")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "zip, ZIP",
            "zip_code, ZIP",
            "ZIP5, ZIP",
            "postcode, ZIP",
            "postal_code, ZIP",
            "postal, ZIP",
            "email, EMAIL",
            "email_address, EMAIL",
            "work_e_mail, EMAIL",
            "address, ADDRESS",
            "address_line_1, ADDRESS",
            "street, ADDRESS",
            "postal_address, ADDRESS",
            "first_name, GENERIC",
            "city, GENERIC",
    })
    void rule_is_chosen_from_the_column_name(String column, Rule expected) {
        assertThat(Normalizer.ruleFor(column)).isEqualTo(expected);
    }

    @Test
    void fold_only_trims_and_folds_case() {
        assertThat(Normalizer.fold("  JOHN ")).isEqualTo("john");
        assertThat(Normalizer.fold("Main St.")).isEqualTo("main st.");
        assertThat(Normalizer.fold(null)).isEmpty();
    }

    @Test
    void rules_parse_from_their_wire_names_and_refuse_others() {
        for (Rule rule : Rule.values()) {
            assertThat(Rule.fromWire(rule.wire())).isEqualTo(rule);
        }
        assertThatThrownBy(() -> Rule.fromWire("phone")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generic, address, zip, email");
    }
}
