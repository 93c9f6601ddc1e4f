package dev.sluice.core.ingest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;

class QuotedCellTrimmerTest {

    /** Hands out one character per read, so every state is crossed at a read boundary. */
    private static Reader trickle(String text) {
        return new Reader() {
            private int pos;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (pos == text.length()) {
                    return -1;
                }
                buffer[offset] = text.charAt(pos++);
                return 1;
            }

            @Override
            public void close() {
            }
        };
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
    }

    @Test
    void a_tab_is_a_delimiter_not_a_space_in_tab_separated_files() throws IOException {
        assertThat(filtered(trickle("a\t \"b\" \t c\n"), '\t')).isEqualTo("a\t\"b\"\t c\n");
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
}
