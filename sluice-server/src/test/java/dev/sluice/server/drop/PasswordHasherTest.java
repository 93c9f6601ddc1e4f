package dev.sluice.server.drop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void a_hash_matches_its_password_only() {
        // given
        String password = PasswordHasher.newPassword();

        // when
        String hash = PasswordHasher.hash(password);

        // then
        assertThat(hash).startsWith("pbkdf2-sha256$" + PasswordHasher.ITERATIONS + "$").doesNotContain(password);
        assertThat(PasswordHasher.matches(password, hash)).isTrue();
        assertThat(PasswordHasher.matches(password + "x", hash)).isFalse();
        assertThat(PasswordHasher.matches(password, PasswordHasher.DUMMY_HASH)).isFalse();
    }

    @Test
    void the_same_password_hashes_differently_each_time() {
        // given / when
        String first = PasswordHasher.hash("same");
        String second = PasswordHasher.hash("same");

        // then the salts differ, and both still match
        assertThat(first).isNotEqualTo(second);
        assertThat(PasswordHasher.matches("same", first)).isTrue();
        assertThat(PasswordHasher.matches("same", second)).isTrue();
    }

    @Test
    void new_passwords_are_long_and_distinct() {
        // given / when
        String a = PasswordHasher.newPassword();
        String b = PasswordHasher.newPassword();

        // then
        assertThat(a).hasSize(32).matches("[A-Za-z0-9_-]+").isNotEqualTo(b);
    }
}
