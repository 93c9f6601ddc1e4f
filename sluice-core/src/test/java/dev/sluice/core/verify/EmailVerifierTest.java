package dev.sluice.core.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class EmailVerifierTest {

    private final EmailVerifier verifier = new EmailVerifier();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            john@example.com               | john@example.com
            '  john@example.com  '         | john@example.com
            John.Smith@Example.COM         | John.Smith@example.com
            john+tag@gmail.com             | john+tag@gmail.com
            o'brien@example.ie             | o'brien@example.ie
            a@b.co                         | a@b.co
            john@sub.example.co.uk         | john@sub.example.co.uk
            john@müller.de                 | john@xn--mller-kva.de
            john@MÜLLER.DE                 | john@xn--mller-kva.de
            jörg@example.de                | jörg@example.de
            user_name-1@xn--mller-kva.de   | user_name-1@xn--mller-kva.de
            """)
    void valid_address_passes_offline_checks_and_is_normalised(String raw, String normalized) {
        // when
        Verdict verdict = verifier.verify(raw);

        // then
        assertThat(verdict).isEqualTo(new Verdict(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED, normalized, false));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', nullValues = "NULL", textBlock = """
            NULL                           | EMPTY
            ''                             | EMPTY
            '   '                          | EMPTY
            johnexample.com                | SYNTAX_MISSING_AT
            john.example.com               | SYNTAX_MISSING_AT
            @example.com                   | SYNTAX_LOCAL_PART
            .john@example.com              | SYNTAX_LOCAL_PART
            john.@example.com              | SYNTAX_LOCAL_PART
            john..doe@example.com          | SYNTAX_LOCAL_PART
            a@b@example.com                | SYNTAX_LOCAL_PART
            '"john doe"@example.com'       | SYNTAX_LOCAL_PART
            john@                          | SYNTAX_DOMAIN
            john@example                   | SYNTAX_DOMAIN
            john@localhost                 | SYNTAX_DOMAIN
            john@example.c                 | SYNTAX_DOMAIN
            john@example.123               | SYNTAX_DOMAIN
            john@-example.com              | SYNTAX_DOMAIN
            john@example-.com              | SYNTAX_DOMAIN
            john@exa_mple.com              | SYNTAX_DOMAIN
            john@example..com              | SYNTAX_DOMAIN
            john@example.com.              | SYNTAX_DOMAIN
            john@[192.0.2.1]               | SYNTAX_IP_LITERAL
            john@[IPv6:2001:db8::1]        | SYNTAX_IP_LITERAL
            John Smith <john@example.com>  | SYNTAX_DISPLAY_NAME
            <john@example.com>             | SYNTAX_DISPLAY_NAME
            '"John" <john@example.com>'    | SYNTAX_DISPLAY_NAME
            john(work)@example.com         | SYNTAX_DISPLAY_NAME
            john doe@example.com           | SYNTAX_INVALID
            @@                             | SYNTAX_INVALID
            """)
    void invalid_address_gets_its_reason(String raw, Reason reason) {
        // when
        Verdict verdict = verifier.verify(raw);

        // then
        assertThat(verdict).isEqualTo(new Verdict(VerdictStatus.INVALID, reason, null, false));
    }

    @Test
    void local_part_over_64_octets_is_too_long() {
        // given
        String address = "a".repeat(65) + "@example.com";

        // when / then
        assertThat(verifier.verify(address).reason()).isEqualTo(Reason.SYNTAX_TOO_LONG);
        assertThat(verifier.verify("a".repeat(64) + "@example.com").status()).isEqualTo(VerdictStatus.VALID);
    }

    @Test
    void address_over_254_octets_is_too_long() {
        // given: 64 + 1 + 190 = 255 octets, each part within its own limit
        String domain = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "example.com");
        String address = "l".repeat(64) + "@" + domain.substring(domain.length() - 190);

        // when
        Verdict verdict = verifier.verify(address);

        // then
        assertThat(address).hasSize(255);
        assertThat(verdict.reason()).isEqualTo(Reason.SYNTAX_TOO_LONG);
    }

    @Test
    void non_ascii_local_part_counts_octets_not_characters() {
        // given: 40 'ü' are 80 UTF-8 octets
        String address = "ü".repeat(40) + "@example.com";

        // when / then
        assertThat(verifier.verify(address).reason()).isEqualTo(Reason.SYNTAX_TOO_LONG);
    }

    @Test
    void no_break_and_zero_width_spaces_around_the_address_are_trimmed() {
        // when
        Verdict verdict = verifier.verify("\u00A0\u200Bjohn@example.com\u00A0");

        // then
        assertThat(verdict.normalized()).isEqualTo("john@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"info@example.com", "Support@example.com", "no-reply@example.com",
            "noreply@example.com", "postmaster@example.com", "sales+eu@example.com", "ADMIN@example.com"})
    void role_account_is_flagged_and_still_valid(String raw) {
        // when
        Verdict verdict = verifier.verify(raw);

        // then
        assertThat(verdict.status()).isEqualTo(VerdictStatus.VALID);
        assertThat(verdict.reason()).isEqualTo(Reason.OFFLINE_CHECKS_PASSED);
        assertThat(verdict.role()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"john@example.com", "information@example.com", "salesman@example.com"})
    void personal_address_is_not_a_role(String raw) {
        assertThat(verifier.verify(raw).role()).isFalse();
    }

    @Test
    void role_list_is_loaded_from_the_data_file() {
        assertThat(EmailVerifier.isRole("webmaster")).isTrue();
        assertThat(EmailVerifier.isRole("billing")).isTrue();
        assertThat(EmailVerifier.isRole("hr")).isTrue();
    }

    @Test
    void verifier_is_safe_to_share_between_threads() {
        // given
        ConcurrentHashMap<String, Verdict> seen = new ConcurrentHashMap<>();

        // when
        IntStream.range(0, 20_000).parallel().forEach(i -> {
            String raw = i % 2 == 0 ? "user" + i + "@Example.com" : "user" + i + "@@example.com";
            seen.put(raw, verifier.verify(raw));
        });

        // then
        assertThat(seen).hasSize(20_000);
        assertThat(seen.values().stream().filter(v -> v.status() == VerdictStatus.VALID)).hasSize(10_000);
        assertThat(seen.get("user2@Example.com").normalized()).isEqualTo("user2@example.com");
    }

    @Test
    void wire_values_and_codes_are_snake_case() {
        assertThat(VerdictStatus.values()).extracting(VerdictStatus::wire)
                .containsExactly("valid", "invalid", "accept_all", "unknown");
        assertThat(Reason.OFFLINE_CHECKS_PASSED.code()).isEqualTo("offline_checks_passed");
        assertThat(Reason.SYNTAX_IP_LITERAL.code()).isEqualTo("syntax_ip_literal");
    }
}
