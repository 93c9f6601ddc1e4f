package dev.sluice.core.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case of {@code syntax-corpus.tsv} (format in its header) through {@link EmailVerifier}: status,
 * reason, and for valid cases the normalised address.
 */
class SyntaxCorpusTest {

    private static final String CORPUS = "syntax-corpus.tsv";

    private final EmailVerifier verifier = new EmailVerifier();

    record Case(int line, String address, VerdictStatus status, Reason reason, String normalized) {

        @Override
        public String toString() {
            return "line " + line + ": [" + address + "] -> " + status + " " + reason;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void address_gets_its_recorded_verdict(Case c) {
        // when
        Verdict verdict = verifier.verify(c.address());

        // then
        assertThat(verdict.status()).as("status of %s", c).isEqualTo(c.status());
        assertThat(verdict.reason()).as("reason of %s", c).isEqualTo(c.reason());
        if (c.normalized() != null) {
            assertThat(verdict.normalized()).as("normalized of %s", c).isEqualTo(c.normalized());
        }
    }

    @Test
    void corpus_has_several_hundred_cases_covering_every_syntax_reason() {
        // given
        List<Case> cases = corpus();

        // when
        Set<Reason> reasons = EnumSet.noneOf(Reason.class);
        cases.forEach(c -> reasons.add(c.reason()));

        // then
        assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
        assertThat(cases).extracting(Case::address).doesNotHaveDuplicates();
        assertThat(reasons).contains(Reason.OFFLINE_CHECKS_PASSED, Reason.EMPTY, Reason.SYNTAX_MISSING_AT,
                Reason.SYNTAX_LOCAL_PART, Reason.SYNTAX_DOMAIN, Reason.SYNTAX_TOO_LONG, Reason.SYNTAX_IP_LITERAL,
                Reason.SYNTAX_DISPLAY_NAME, Reason.SYNTAX_INVALID);
    }

    @Test
    void escapes_decode_to_the_characters_they_name() {
        assertThat(unescape("\\s\\ta\\\\b\\#\\u00A0\\n\\r")).isEqualTo(" \ta\\b#\u00A0\n\r");
    }

    static List<Case> corpus() {
        String text;
        try (InputStream in = SyntaxCorpusTest.class.getResourceAsStream(CORPUS)) {
            assertThat(in).as("test resource dev/sluice/core/verify/" + CORPUS).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length < 3 || cols.length > 4) {
                throw new IllegalStateException(CORPUS + " line " + (i + 1) + " has " + cols.length
                        + " TAB-separated columns, expected 3 or 4: " + line);
            }
            cases.add(new Case(i + 1, unescape(cols[0]), VerdictStatus.valueOf(cols[1]), Reason.valueOf(cols[2]),
                    cols.length == 4 ? unescape(cols[3]) : null));
        }
        return cases;
    }

    /** Decodes the corpus escapes: {@code \t \n \r \s \\ \# \}{@code uXXXX}. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 == s.length()) {
                throw new IllegalArgumentException("dangling backslash in " + s + "; write \\\\ for a backslash");
            }
            char next = s.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 's' -> out.append(' ');
                case '\\' -> out.append('\\');
                case '#' -> out.append('#');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + next + " in " + s);
            }
        }
        return out.toString();
    }
}
