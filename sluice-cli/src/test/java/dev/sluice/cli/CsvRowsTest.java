package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRowsTest {

    @TempDir
    Path dir;

    private long count(String content) throws IOException {
        Path file = dir.resolve("f.csv");
        Files.writeString(file, content);
        return CsvRows.countRecords(file);
    }

    @Test
    void records_are_lines_after_the_header() throws IOException {
        assertThat(count("id,email\n1,a@x.com\n2,b@x.com\n")).isEqualTo(2);
    }

    @Test
    void last_record_without_a_line_break_counts() throws IOException {
        assertThat(count("id,email\n1,a@x.com\n2,b@x.com")).isEqualTo(2);
    }

    @Test
    void crlf_line_breaks_count_once() throws IOException {
        assertThat(count("id,email\r\n1,a@x.com\r\n2,b@x.com\r\n")).isEqualTo(2);
    }

    @Test
    void line_breaks_inside_quotes_do_not_end_a_record() throws IOException {
        assertThat(count("id,note\n1,\"two\nlines \"\"quoted\"\"\"\n2,plain\n")).isEqualTo(2);
    }

    @Test
    void header_only_and_empty_files_have_no_records() throws IOException {
        assertThat(count("id,email\n")).isZero();
        assertThat(count("")).isZero();
    }
}
