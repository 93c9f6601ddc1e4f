package dev.sluice.core.verify;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain path of {@link EmailVerifier} (plain ASCII addresses skip JMail's parse) must answer exactly what
 * JMail does: on every address of the syntax corpus and on many generated ones, near misses included, the
 * verdict with the plain path equals the verdict with every address through JMail.
 */
class EmailVerifierPlainPathTest {

    private static final int GENERATED = 100_000;
    /** Characters of a part: plain ones, the separators, then the rest, which take an address off the plain path. */
    private static final String[] LOCAL_CHARS = {"abcdeXYZ0129_+", ".-", "!#$%&'*/=?^`{|}~\"(),:;<>[]\\ é\u00a0@"};
    private static final String[] DOMAIN_CHARS = {"abcdeXYZ0129", ".-", "_[]:é +"};

    private static final String[] TOP_LEVEL = {"com", "ORG", "net", "io", "de", "uk", "Info", "xn--p1ai", "c", "123"};

    private final EmailVerifier verifier = new EmailVerifier();

    @Test
    void every_corpus_address_gets_the_same_verdict_as_through_jmail() {
        // given
        List<String> addresses = SyntaxCorpusTest.corpus().stream().map(SyntaxCorpusTest.Case::address).toList();

        // when / then
        int plain = 0;
        for (String address : addresses) {
            assertThat(verifier.verify(address)).as(address).isEqualTo(verifier.verifyWithJMail(address));
            plain += EmailVerifier.isPlainAddress(address) ? 1 : 0;
        }
        assertThat(plain).as("corpus addresses on the plain path").isGreaterThan(50);
    }

    @Test
    void generated_addresses_get_the_same_verdict_as_through_jmail() {
        // given
        Random random = new Random(20261205);
        int plain = 0;
        int valid = 0;

        // when / then
        for (int i = 0; i < GENERATED; i++) {
            String address = generate(random);
            Verdict jmail = verifier.verifyWithJMail(address);
            assertThat(verifier.verify(address)).as(address).isEqualTo(jmail);
            plain += EmailVerifier.isPlainAddress(address) ? 1 : 0;
            valid += jmail.status() == VerdictStatus.VALID ? 1 : 0;
        }
        // both sides of the border are exercised
        assertThat(plain).isBetween(GENERATED / 10, GENERATED * 9 / 10);
        assertThat(valid).isGreaterThan(plain / 2);
    }

    @Test
    void the_plain_path_takes_common_addresses_and_leaves_the_rest_to_jmail() {
        assertThat(EmailVerifier.isPlainAddress("Ann.Lee+news@mail.Example-1.com")).isTrue();
        assertThat(EmailVerifier.isPlainAddress("a_b@x.io")).isTrue();
        assertThat(EmailVerifier.isPlainAddress("ann@example.c")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann@example.c0m")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann@localhost")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann@-example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann@example-.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann@example..com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann@example.com.")).isFalse();
        assertThat(EmailVerifier.isPlainAddress(".ann@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("ann.@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("a..b@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("o'neil@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("a@b@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("émile@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("x".repeat(65) + "@example.com")).isFalse();
        assertThat(EmailVerifier.isPlainAddress("x@" + "a".repeat(64) + ".com")).isFalse();
    }

    /** A random address: most of the time local@domain of plausible parts, with lengths around the limits. */
    private static String generate(Random random) {
        StringBuilder address = new StringBuilder();
        int localLength = random.nextInt(10) == 0 ? 60 + random.nextInt(8) : 1 + random.nextInt(12);
        for (int i = 0; i < localLength; i++) {
            address.append(pick(random, LOCAL_CHARS));
        }
        if (random.nextInt(40) != 0) {
            address.append('@');
        }
        int labels = random.nextInt(8) == 0 ? 1 : 2 + random.nextInt(3);
        for (int l = 0; l < labels; l++) {
            if (l > 0) {
                address.append('.');
            }
            if (l == labels - 1 && labels > 1 && random.nextInt(4) != 0) {
                // a real top-level domain most of the time, so that many addresses pass every check
                address.append(TOP_LEVEL[random.nextInt(TOP_LEVEL.length)]);
                continue;
            }
            int labelLength = random.nextInt(20) == 0 ? 60 + random.nextInt(8) : 1 + random.nextInt(8);
            for (int i = 0; i < labelLength; i++) {
                address.append(pick(random, DOMAIN_CHARS));
            }
        }
        if (random.nextInt(50) == 0) {
            address.append(random.nextBoolean() ? "." : "@x.com");
        }
        return address.toString();
    }

    /** A character of one of the three sets: plain 90 %, a separator 8 %, another 2 %. */
    private static char pick(Random random, String[] sets) {
        int tier = random.nextInt(100);
        String chars = sets[tier < 90 ? 0 : tier < 98 ? 1 : 2];
        return chars.charAt(random.nextInt(chars.length()));
    }
}
