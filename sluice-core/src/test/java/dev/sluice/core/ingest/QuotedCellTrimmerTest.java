package dev.sluice.core.ingest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Random;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class QuotedCellTrimmerTest {

    /** Hands out one character per read, so every state is crossed at a read boundary. */
    private static Reader trickle(String text) {
        return pieces(text, () -> 1);
    }

    private static String filtered(Reader source, char delimiter) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Reader reader = new QuotedCellTrimmer(source, delimiter)) {
            char[] buffer = new char[7];
            for (int n; (n = reader.read(buffer, 0, buffer.length)) > 0; ) {
                out.append(buffer, 0, n);
            }
        }
        return out.toString();
    }

    @Test
    void spaces_around_quoted_cells_go_and_every_other_character_stays() throws IOException {
        String in = "\"Name\", \" EMAIL \" ,notes\r\n  ann , \"a,b\"\"c\"  \t,\"Doe\" Jr,  \n \"x\ny\"\t\n  ";
        String expected = "\"Name\",\" EMAIL \",notes\r\n  ann ,\"a,b\"\"c\",\"Doe\" Jr,  \n\"x\ny\"\n  ";

        assertThat(filtered(new StringReader(in), ',')).isEqualTo(expected);
        assertThat(filtered(trickle(in), ',')).isEqualTo(expected);
        assertThat(byTheRule(in, ',')).isEqualTo(expected);
    }

    @Test
    void a_tab_is_a_delimiter_not_a_space_in_tab_separated_files() throws IOException {
        assertThat(filtered(trickle("a\t \"b\" \t c\n"), '\t')).isEqualTo("a\t\"b\"\t c\n");
        assertThat(byTheRule("a\t \"b\" \t c\n", '\t')).isEqualTo("a\t\"b\"\t c\n");
    }

    @Test
    void a_run_of_spaces_longer_than_held_is_passed_on_as_data() throws IOException {
        String spaces = " ".repeat(QuotedCellTrimmer.MAX_HELD + 5);

        assertThat(filtered(trickle("a," + spaces + "\"b\"\n"), ',')).isEqualTo("a," + spaces + "\"b\"\n");
    }

    @Test
    void a_file_without_quotes_or_spaces_around_them_is_unchanged() throws IOException {
        String in = "email,name\r\na@example.com, Ann Lee \r\n\"b@example.org\",\"Bob, Jr\"\r\n";

        assertThat(filtered(new StringReader(in), ',')).isEqualTo(in);
    }

    @Test
    void random_text_read_in_any_pieces_filters_as_the_rule_says() throws IOException {
        // given random text of few kinds of chars, so that quotes, spaces and ends meet in every order
        Random random = new Random(11);
        char[] kinds = {'a', 'a', 'a', 'b', ' ', ' ', '\t', '"', ',', '\n', '\r'};
        for (int round = 0; round < 2_000; round++) {
            char delimiter = round % 3 == 0 ? '\t' : ',';
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(round % 10 == 0 ? 40_000 : 200);
            boolean quotes = random.nextBoolean();
            for (int i = 0; i < length; i++) {
                char c = kinds[random.nextInt(kinds.length)];
                text.append(c == '"' && !quotes && random.nextInt(8) > 0 ? 'q' : c);
            }
            String in = text.toString();

            // when it is read whole, a char at a time, and in random pieces
            String expected = byTheRule(in, delimiter);

            // then each way gives what the rule gives
            assertThat(filtered(new StringReader(in), delimiter)).isEqualTo(expected);
            assertThat(filtered(trickle(in), delimiter)).isEqualTo(expected);
            assertThat(filtered(pieces(in, () -> 1 + random.nextInt(random.nextBoolean() ? 8 : 40_000)), delimiter))
                    .isEqualTo(expected);
        }
    }

    /** The rule, one char at a time: spaces between a cell start and a quote, and after a closing quote up to the cell's end, go. */
    private static String byTheRule(String in, char delimiter) {
        StringBuilder out = new StringBuilder();
        StringBuilder held = new StringBuilder();
        boolean quoted = false;
        boolean afterQuote = false;
        boolean cellStart = true;
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            boolean space = c == ' ' || (c == '\t' && delimiter != '\t');
            boolean end = c == delimiter || c == '\n' || c == '\r';
            if (quoted) {
                out.append(c);
                if (c == '"') {
                    if (i + 1 < in.length() && in.charAt(i + 1) == '"') {
                        out.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                }
            } else if ((cellStart || afterQuote) && space && held.length() < QuotedCellTrimmer.MAX_HELD) {
                held.append(c);
            } else if (cellStart && c == '"') {
                held.setLength(0);
                out.append(c);
                quoted = true;
                cellStart = false;
            } else if (afterQuote && end) {
                held.setLength(0);
                out.append(c);
                afterQuote = false;
                cellStart = true;
            } else {
                out.append(held).append(c);
                held.setLength(0);
                afterQuote = false;
                cellStart = end;
            }
        }
        if (cellStart) {
            out.append(held);
        }
        return out.toString();
    }

    /** Hands out the text in reads of {@code size} chars at most (fewer at its end or when asked for fewer). */
    private static Reader pieces(String text, IntSupplier size) {
        return new Reader() {
            private int pos;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (pos == text.length()) {
                    return -1;
                }
                int n = Math.min(Math.min(length, text.length() - pos), size.getAsInt());
                text.getChars(pos, pos + n, buffer, offset);
                pos += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }
}
