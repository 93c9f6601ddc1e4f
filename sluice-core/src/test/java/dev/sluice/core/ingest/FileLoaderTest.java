package dev.sluice.core.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileLoaderTest {

    private final MemorySink sink = new MemorySink();
    private final FileLoader loader = new FileLoader(LoadOptions.emailDefaults());

    private LoadSummary load(byte[] bytes) throws Exception {
        return loader.load(new ByteArrayInputStream(bytes), sink);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    @Test
    void utf8_file_without_bom_is_read_with_header() throws Exception {
        // given
        byte[] file = utf8("email,name\na@example.com,Zoë\nb@example.com,Åsa\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary).isEqualTo(new LoadSummary(List.of("email", "name"), 0, 2, 1, "UTF-8", ',', true));
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "Zoë"), List.of("b@example.com", "Åsa"));
        assertThat(sink.allClosed()).isTrue();
    }

    @Test
    void file_with_bom_and_crlf_is_read() throws Exception {
        // given
        byte[] file = concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8("Email,name\r\na@example.com,Zoë\r\nb@example.com,Bo\r\n"));

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.charset()).isEqualTo("UTF-8");
        assertThat(summary.columns()).containsExactly("Email", "name");
        assertThat(summary.keyColumn()).isZero();
        assertThat(summary.records()).isEqualTo(2);
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "Zoë"), List.of("b@example.com", "Bo"));
    }

    @Test
    void windows_1252_file_is_decoded() throws Exception {
        // given "Müller" with ü as the single byte 0xFC, invalid in UTF-8
        byte[] file = "name;email\nMüller;m@example.com\n".getBytes(Charset.forName("windows-1252"));
        assertThat(file).contains((byte) 0xFC);

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.charset()).isEqualTo("windows-1252");
        assertThat(summary.delimiter()).isEqualTo(';');
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(sink.allRecords()).containsExactly(List.of("Müller", "m@example.com"));
    }

    @Test
    void utf16le_file_with_bom_is_decoded() throws Exception {
        // given
        byte[] file = concat(new byte[]{(byte) 0xFF, (byte) 0xFE},
                "email\tname\r\nj@example.com\tJürgen\r\n".getBytes(StandardCharsets.UTF_16LE));

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.charset()).isEqualTo("UTF-16LE");
        assertThat(summary.delimiter()).isEqualTo('\t');
        assertThat(sink.allRecords()).containsExactly(List.of("j@example.com", "Jürgen"));
    }

    @Test
    void utf16le_file_without_bom_is_recognised() throws Exception {
        // given
        byte[] file = "email,name\nj@example.com,Jo\n".getBytes(StandardCharsets.UTF_16LE);

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.charset()).isEqualTo("UTF-16LE");
        assertThat(sink.allRecords()).containsExactly(List.of("j@example.com", "Jo"));
    }

    @Test
    void quoted_delimiters_quotes_and_newlines_stay_in_their_field() throws Exception {
        // given
        byte[] file = utf8("email,note\na@example.com,\"one, two\"\nb@example.com,\"line 1\nline 2\"\n"
                + "c@example.com,\"say \"\"hi\"\"\"\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.records()).isEqualTo(3);
        assertThat(sink.allRecords()).containsExactly(
                List.of("a@example.com", "one, two"),
                List.of("b@example.com", "line 1\nline 2"),
                List.of("c@example.com", "say \"hi\""));
    }

    @Test
    void cr_only_line_endings_are_read() throws Exception {
        // given
        byte[] file = utf8("email,name\ra@example.com,A\rb@example.com,B\r");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.records()).isEqualTo(2);
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "A"), List.of("b@example.com", "B"));
    }

    @Test
    void blank_lines_and_empty_rows_are_not_records() throws Exception {
        // given
        byte[] file = utf8("\n\nemail,name\n\na@example.com,A\n   \n,,\n\nb@example.com,B\n\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.header()).isTrue();
        assertThat(summary.records()).isEqualTo(2);
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "A"), List.of("b@example.com", "B"));
    }

    @Test
    void rows_of_any_white_space_are_not_records_and_cells_beyond_ascii_are_kept_whole() throws Exception {
        // given rows of white space beyond ASCII (an em space, a line tab, an ideographic space), a row of no-break
        // spaces (not white space to Java, so data), and cells of accents, an ideograph and an emoji, some long
        String em = "\u2003";
        String ideographic = "\u3000";
        String noBreak = "\u00a0";
        String long_ = "\u00e9t\u00e9 \u6f22 \ud83d\ude00 ".repeat(3000);
        byte[] file = utf8("email,name\n" + em + "," + ideographic + "\n\u000b,\t\n"
                + "a@example.com,Ren\u00e9e \u6f22\ud83d\ude00\n" + noBreak + "," + noBreak + "\n"
                + "b@example.com,\"" + long_ + "\"\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.records()).isEqualTo(3);
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "Ren\u00e9e \u6f22\ud83d\ude00"),
                List.of(noBreak, noBreak), List.of("b@example.com", long_));
    }

    @Test
    void a_record_of_more_cells_than_allowed_is_unreadable_naming_its_line() throws Exception {
        // given a record on line 3 with one cell more than the limit, and one with exactly the limit before it
        String widest = "a@example.com" + ",x".repeat(RecordCells.MAX_CELLS - 1);
        byte[] file = utf8("email,name\n" + widest + "\n" + widest + ",x\nb@example.com,B\n");

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.UNREADABLE))
                .hasMessageContaining("the record starting on line 3")
                .hasMessageContaining("maximum limit of 16384 fields");
        assertThat(sink.allRecords()).first().asList().hasSize(RecordCells.MAX_CELLS);
    }

    @Test
    void ragged_rows_are_kept_as_read_and_columns_widen() throws Exception {
        // given
        byte[] file = utf8("email,name\na@example.com\nb@example.com,B,extra,more\nc@example.com,C\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.columns()).containsExactly("email", "name", "column_3", "column_4");
        assertThat(sink.allRecords()).containsExactly(
                List.of("a@example.com"),
                List.of("b@example.com", "B", "extra", "more"),
                List.of("c@example.com", "C"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Email", " EMAIL ", "e-mail", "Email_Address", "emailaddress", "Email Address"})
    void header_naming_the_email_column_in_any_common_spelling_is_found(String header) throws Exception {
        // given
        byte[] file = utf8("name," + header + "\nAnn,a@example.com\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.header()).isTrue();
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(summary.columns()).containsExactly("name", header.strip());
        assertThat(summary.records()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TAB", "SEMICOLON", "PIPE", "COMMA"})
    void delimiter_is_sniffed(String label) throws Exception {
        // given: a name holding a comma, quoted only where comma is the delimiter
        char d = switch (label) {
            case "TAB" -> '\t';
            case "SEMICOLON" -> ';';
            case "PIPE" -> '|';
            default -> ',';
        };
        String doe = d == ',' ? "\"Doe, Jane\"" : "Doe, Jane";
        byte[] file = utf8("id" + d + "email" + d + "name\n1" + d + "a@example.com" + d + doe + "\n2" + d
                + "b@example.com" + d + "Rich\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.delimiter()).isEqualTo(d);
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(sink.allRecords()).containsExactly(
                List.of("1", "a@example.com", "Doe, Jane"),
                List.of("2", "b@example.com", "Rich"));
    }

    @Test
    void excel_separator_line_sets_the_delimiter_and_is_not_a_record() throws Exception {
        // given
        byte[] file = utf8("sep=;\r\nemail;name\r\na@example.com;A\r\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary).isEqualTo(new LoadSummary(List.of("email", "name"), 0, 1, 1, "UTF-8", ';', true));
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "A"));
    }

    @Test
    void unclosed_quote_is_unreadable_naming_the_line_where_it_opened() {
        // given the file: a quote opened on line 2 and never closed
        byte[] file = utf8("email,name\nann@example.com,\"Ann\nbob@example.org,Bob\n");

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.UNREADABLE))
                .hasMessageStartingWith("a quote opened in the record starting on line 2 is never closed");
        assertThat(sink.allClosed()).isTrue();
    }

    @Test
    void unclosed_quote_after_the_sample_is_unreadable_not_rows_lost() {
        // given 6,001 lines (well over the 64 KB sample) and a stray quote on line 5,000
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 2; i <= 6_001; i++) {
            csv.append("user").append(i).append("@example.com,").append(i == 5_000 ? "\"Name" : "Name").append(i)
                    .append('\n');
        }
        assertThat(csv.length()).isGreaterThan(FileLoader.SAMPLE_BYTES);

        // when / then
        assertThatThrownBy(() -> load(utf8(csv.toString())))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.UNREADABLE))
                .hasMessageStartingWith("a quote opened in the record starting on line 5000 is never closed")
                .hasMessageContaining("4998 records read before it");
    }

    @Test
    void unclosed_quote_on_line_12_of_a_long_file_is_unreadable_naming_line_12() {
        // given the shape: 6,001 lines, a stray quote on line 12; the cell would outgrow the cell limit
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 2; i <= 6_001; i++) {
            csv.append("user").append(i).append("@example.com,").append(i == 12 ? "\"Name" : "Name").append(i)
                    .append('\n');
        }

        // when / then
        assertThatThrownBy(() -> load(utf8(csv.toString())))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.UNREADABLE))
                .hasMessageContaining("the record starting on line 12");
    }

    @Test
    void a_cell_over_the_limit_in_any_record_is_unreadable() {
        // given a closed quote whose cell is longer than the limit, far after the first record
        StringBuilder csv = new StringBuilder("email,notes\n");
        for (int i = 0; i < 100; i++) {
            csv.append("u").append(i).append("@example.com,n\n");
        }
        csv.append("long@example.com,\"").append("x\n".repeat(CsvSample.MAX_CELL_CHARS / 2 + 1)).append("\"\n");
        csv.append("last@example.com,n\n");

        // when / then
        assertThatThrownBy(() -> load(utf8(csv.toString())))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.UNREADABLE))
                .hasMessageStartingWith("a cell in the record starting on line 102 is longer than 65536 characters");
    }

    @Test
    void a_long_quoted_cell_under_the_limit_is_kept_whole() throws Exception {
        // given
        String cell = "y\n".repeat(20_000);
        byte[] file = utf8("email,notes\na@example.com,\"" + cell + "\"\nb@example.com,n\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.records()).isEqualTo(2);
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", cell), List.of("b@example.com", "n"));
    }

    @Test
    void spaces_around_quoted_cells_are_dropped_and_the_quoted_email_header_is_found() throws Exception {
        // given the header of the issue, written with a space after each comma
        byte[] file = utf8("\"Name\", \" EMAIL \",notes\n\"Ann, Lee\" , \"ann@example.com\" ,  keep  \n"
                + "Bob, bob@example.org,\"Doe\" Jr\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.header()).isTrue();
        assertThat(summary.columns()).containsExactly("Name", "EMAIL", "notes");
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(summary.notes()).isEmpty();
        assertThat(sink.allRecords()).containsExactly(List.of("Ann, Lee", "ann@example.com", "  keep  "),
                List.of("Bob", " bob@example.org", "Doe Jr"));
    }

    @Test
    void header_cell_with_literal_quotes_names_the_column() throws Exception {
        // given a header whose quotes are part of the text
        byte[] file = utf8("name;'Email'\nAnn;a@example.com\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(summary.notes()).isEmpty();
    }

    @Test
    void text_after_a_closing_quote_is_kept_as_data() throws Exception {
        // given
        byte[] file = utf8("email,name\na@example.com,\"Doe\" Jr\n");

        // when
        load(file);

        // then
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com", "Doe Jr"));
    }

    @Test
    void headerless_single_column_of_emails_is_read_from_the_first_line() throws Exception {
        // given
        byte[] file = utf8("a@example.com\nb@example.com\nnot an address\nc@example.com\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary).isEqualTo(new LoadSummary(List.of("email"), 0, 4, 1, "UTF-8", ',', false));
        assertThat(sink.allRecords()).containsExactly(List.of("a@example.com"), List.of("b@example.com"),
                List.of("not an address"), List.of("c@example.com"));
    }

    @Test
    void headerless_file_names_columns_and_the_address_column_email() throws Exception {
        // given
        byte[] file = utf8("Ann;a@example.com;1\nBob;b@example.com;2\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.header()).isFalse();
        assertThat(summary.columns()).containsExactly("column_1", "email", "column_3");
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(summary.records()).isEqualTo(2);
    }

    @Test
    void duplicate_blank_and_reserved_header_names_are_made_unique() throws Exception {
        // given
        byte[] file = utf8("name,email,,Name,sluice_status\nA,a@example.com,x,y,z\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.columns()).containsExactly("name", "email", "column_3", "Name_2", "sluice_status_2");
    }

    @Test
    void file_without_email_column_is_missing_column() {
        // given
        byte[] file = utf8("name,phone\nAnn,555-1234\n");

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MalformedReason.MISSING_COLUMN);
                    assertThat(e.reason().code()).isEqualTo("missing_column");
                })
                .hasMessageStartingWith("no \"email\" column; header is [name, phone]");
        assertThat(sink.parts()).isZero();
    }

    @Test
    void header_without_an_email_name_uses_the_one_column_holding_addresses_and_says_so() throws Exception {
        // given the first row has no '@', so it is a header, and it does not name the column
        byte[] file = utf8("name,contact\nAnn,a@example.com\nBob,b@example.com\n");

        // when
        LoadSummary summary = load(file);

        // then
        assertThat(summary.header()).isTrue();
        assertThat(summary.keyColumn()).isEqualTo(1);
        assertThat(summary.columns()).containsExactly("name", "contact");
        assertThat(summary.records()).isEqualTo(2);
        assertThat(summary.notes()).containsExactly("no header cell names the \"email\" column; column 2"
                + " (\"contact\") holds addresses and is used as it");
    }

    @Test
    void header_without_an_email_name_and_two_address_columns_is_missing_column() {
        // given two columns that both hold addresses: guessing could verify the wrong one
        byte[] file = utf8("name,work,home\nAnn,a@example.com,ann@example.org\nBob,b@example.com,bob@example.org\n");

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.MISSING_COLUMN))
                .hasMessageStartingWith("no \"email\" column; header is [name, work, home]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"89504E470D0A1A0A0000000D49484452", "504B0304140000000800", "D0CF11E0A1B11AE1",
            "00000000000102030405060708"})
    void binary_content_is_refused(String hex) {
        // given
        byte[] head = java.util.HexFormat.of().parseHex(hex);
        byte[] file = concat(head, utf8("email\na@example.com\n"));

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.BINARY_CONTENT));
    }

    @Test
    void header_only_is_no_records() {
        // given
        byte[] file = utf8("email,name\r\n\r\n");

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.NO_RECORDS))
                .hasMessageContaining("[email, name]");
        assertThat(sink.parts()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n\r\n\t \n", "\uFEFF"})
    void empty_or_blank_file_is_empty_file(String content) {
        // given
        byte[] file = utf8(content);

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.EMPTY_FILE));
    }

    @Test
    void more_records_than_allowed_is_too_many_records() {
        // given
        FileLoader limited = new FileLoader(new LoadOptions("email", 10, 5));
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 6; i++) {
            csv.append("u").append(i).append("@example.com\n");
        }

        // when / then
        assertThatThrownBy(() -> limited.load(new ByteArrayInputStream(utf8(csv.toString())), sink))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.TOO_MANY_RECORDS))
                .hasMessageContaining("more than 5 records");
        assertThat(sink.allClosed()).isTrue();
    }

    @Test
    void exactly_max_records_is_accepted() throws Exception {
        // given
        FileLoader limited = new FileLoader(new LoadOptions("email", 10, 3));

        // when
        LoadSummary summary = limited.load(new ByteArrayInputStream(
                utf8("email\na@example.com\nb@example.com\nc@example.com\n")), sink);

        // then
        assertThat(summary.records()).isEqualTo(3);
    }

    @Test
    void twenty_five_records_in_chunks_of_ten_make_three_parts_read_back_identically() throws Exception {
        // given
        FileLoader chunked = new FileLoader(new LoadOptions("email", 10, Long.MAX_VALUE));
        List<List<String>> expected = new ArrayList<>();
        StringBuilder csv = new StringBuilder("email,note\n");
        for (int i = 1; i <= 25; i++) {
            String note = i % 5 == 0 ? "multi\nline, \"quoted\"" : "n" + i;
            expected.add(List.of("user" + i + "@example.com", note));
            csv.append("user").append(i).append("@example.com,\"").append(note.replace("\"", "\"\"")).append("\"\n");
        }

        // when
        LoadSummary summary = chunked.load(new ByteArrayInputStream(utf8(csv.toString())), sink);

        // then
        assertThat(summary.records()).isEqualTo(25);
        assertThat(summary.chunks()).isEqualTo(3);
        assertThat(sink.parts()).isEqualTo(3);
        assertThat(sink.records(0)).hasSize(10);
        assertThat(sink.records(1)).hasSize(10);
        assertThat(sink.records(2)).hasSize(5);
        assertThat(sink.allRecords()).isEqualTo(expected);
        assertThat(sink.allClosed()).isTrue();
    }

    @Test
    void records_exactly_filling_chunks_make_no_empty_trailing_part() throws Exception {
        // given
        FileLoader chunked = new FileLoader(new LoadOptions("email", 2, Long.MAX_VALUE));

        // when
        LoadSummary summary = chunked.load(new ByteArrayInputStream(
                utf8("email\na@x.com\nb@x.com\nc@x.com\nd@x.com\n")), sink);

        // then
        assertThat(summary.chunks()).isEqualTo(2);
        assertThat(sink.parts()).isEqualTo(2);
    }

    @Test
    void invalid_utf8_after_real_utf8_in_the_sample_is_unreadable_with_its_offset() {
        // given 70 KB of UTF-8 rows with accented names, then a lone 0xFF byte: a file of mixed encodings
        StringBuilder csv = new StringBuilder("email,name\n");
        while (csv.length() < 70_000) {
            csv.append("someone@example.com,Zoë\n");
        }
        byte[] head = utf8(csv.toString());
        int offset = head.length;
        byte[] file = concat(head, new byte[]{(byte) 0xFF}, utf8("x@example.com,x\n"));

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.UNREADABLE))
                .hasMessageContaining("0xFF at byte offset " + offset);
        assertThat(sink.allClosed()).isTrue();
    }

    @Test
    void windows_1252_file_whose_first_accent_comes_after_the_sample_is_read_as_windows_1252() throws Exception {
        // given 4,000 plain ASCII rows (more than the 64 KB sample), then names with accents, saved as windows-1252
        StringBuilder csv = new StringBuilder("email,name\r\n");
        int records = 0;
        while (csv.length() < 100_000) {
            csv.append("user").append(records).append("@example.com,Name").append(records).append("\r\n");
            records++;
        }
        csv.append("jose@example.com,José Müller – “quoted”\r\n").append("zoe@example.com,Zoë\r\n");
        byte[] file = csv.toString().getBytes(EncodingSniffer.WINDOWS_1252);

        // when
        LoadSummary summary = load(file);

        // then every record is there, decoded as windows-1252 from the start
        assertThat(summary.records()).isEqualTo(records + 2);
        assertThat(summary.charset()).isEqualTo("windows-1252");
        assertThat(summary.notes()).singleElement().asString().startsWith("read as windows-1252");
        List<List<String>> all = sink.allRecords();
        assertThat(all.get(records)).containsExactly("jose@example.com", "José Müller – “quoted”");
        assertThat(all.get(records + 1)).containsExactly("zoe@example.com", "Zoë");
    }

    @Test
    void binary_content_after_the_sample_is_refused_like_binary_content_at_the_start() {
        // given 70 KB of clean rows, then 4 KB of NUL-laden binary data
        StringBuilder csv = new StringBuilder("email\n");
        while (csv.length() < 70_000) {
            csv.append("someone@example.com\n");
        }
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i += 3) {
            binary[i] = 'a';
        }
        byte[] file = concat(utf8(csv.toString()), binary, utf8("\nx@example.com\n"));

        // when / then
        assertThatThrownBy(() -> load(file))
                .isInstanceOfSatisfying(MalformedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedReason.BINARY_CONTENT))
                .hasMessageStartingWith("the file looks binary after record");
        assertThat(sink.allClosed()).isTrue();
    }

    @Test
    void a_stray_nul_after_the_sample_is_tolerated_as_one_in_the_sample_is() throws Exception {
        // given 70 KB of rows with one NUL in the sample and one after it
        StringBuilder csv = new StringBuilder("email,n\nfirst@example.com,a\u0000b\n");
        while (csv.length() < 70_000) {
            csv.append("someone@example.com,x\n");
        }
        csv.append("last@example.com,c\u0000d\n");

        // when
        LoadSummary summary = load(utf8(csv.toString()));

        // then
        List<List<String>> all = sink.allRecords();
        assertThat(all.getFirst()).containsExactly("first@example.com", "a\u0000b");
        assertThat(all.getLast()).containsExactly("last@example.com", "c\u0000d");
        assertThat(summary.records()).isEqualTo(all.size());
    }

    @Test
    void large_input_is_streamed_not_buffered() throws Exception {
        // given a generated 200,000 record input that is never materialised as one array
        long total = 200_000;
        InputStream generated = new InputStream() {
            private long row = -1;
            private byte[] line = new byte[0];
            private int pos;

            @Override
            public int read() {
                if (pos == line.length) {
                    if (++row > total) {
                        return -1;
                    }
                    line = utf8(row == 0 ? "email,n\n" : "u" + row + "@example.com," + row + "\n");
                    pos = 0;
                }
                return line[pos++] & 0xFF;
            }
        };
        FileLoader chunked = new FileLoader(new LoadOptions("email", 50_000, Long.MAX_VALUE));
        long[] counted = new long[1];
        // each chunk input is read back as it closes and dropped: only one is held at a time
        ChunkSink counting = index -> new java.io.ByteArrayOutputStream() {
            @Override
            public void close() throws IOException {
                counted[0] += ChunkReader.read(new ByteArrayInputStream(toByteArray()), fields -> { });
                reset();
            }
        };

        // when
        LoadSummary summary = chunked.load(generated, counting);

        // then
        assertThat(summary.records()).isEqualTo(total);
        assertThat(summary.chunks()).isEqualTo(4);
        assertThat(counted[0]).isEqualTo(total);
    }

    @Test
    void reason_codes_are_snake_case() {
        assertThat(MalformedReason.values()).extracting(MalformedReason::code).containsExactly(
                "empty_file", "binary_content", "no_records", "missing_column", "too_many_records", "unreadable");
    }

    @Test
    void a_binary_chunk_input_reads_back_every_field_as_written() throws IOException {
        // given records of several widths: empty cells, quotes and line breaks, non-ASCII text, and cells longer
        // than the writer's buffer, ASCII and not
        String longAscii = "x".repeat(70_000);
        String longText = "é".repeat(40_000) + "😀";
        List<List<String>> records = List.of(
                List.of("1", "ann@example.com", ""),
                List.of("", "\"quoted\", with comma", "two\nlines\r\n"),
                List.of("Zoë", "müller@exämple.de", "😀 and ✓"),
                List.of(longAscii),
                List.of("a", longText, "b", "c"),
                List.of("last"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ChunkWriter writer = ChunkReader.writer(bytes)) {
            for (List<String> record : records) {
                writer.writeRecord(record);
            }
        }

        // when
        List<List<String>> seen = new ArrayList<>();
        long count = ChunkReader.read(new ByteArrayInputStream(bytes.toByteArray()), seen::add);

        // then
        assertThat(count).isEqualTo(records.size());
        assertThat(seen).isEqualTo(records);
        assertThatThrownBy(() -> seen.get(0).set(0, "changed")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void chunk_cells_hold_each_cell_as_the_utf8_bytes_of_its_text_from_a_binary_input_and_from_a_csv_part()
            throws IOException {
        // given every shape of cell, and a lone surrogate, which UTF-8 holds as '?'
        List<List<String>> records = List.of(
                List.of("1", "ann@example.com", ""),
                List.of("", "\"quoted\", with comma", "two\nlines\r\n"),
                List.of("Zoë", "müller@exämple.de", "😀 and ✓", "x\ud800y"),
                List.of("a".repeat(70_000)),
                List.of(),
                List.of("é".repeat(40_000), "last"));
        java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        try (ChunkWriter writer = ChunkReader.writer(binary)) {
            for (List<String> record : records) {
                writer.writeRecord(record);
            }
        }
        byte[] csv = utf8("a,b\n\"c\nd\",\"Zoë\"\n");

        // when
        ChunkCells fromBinary = ChunkReader.readCells(new ByteArrayInputStream(binary.toByteArray()));
        ChunkCells fromCsv = ChunkReader.readCells(new ByteArrayInputStream(csv));

        // then each record reads back as written, and its bytes are its text's UTF-8
        assertThat(fromBinary.records()).isEqualTo(records.size());
        for (int r = 0; r < records.size(); r++) {
            List<String> expected = records.get(r).stream()
                    .map(text -> new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).toList();
            assertThat(fromBinary.fields(r)).isEqualTo(expected);
            assertThat(fromBinary.size(r)).isEqualTo(expected.size());
            for (int c = 0; c < expected.size(); c++) {
                assertThat(java.util.Arrays.copyOfRange(fromBinary.bytes(), fromBinary.start(r, c), fromBinary.end(r, c)))
                        .isEqualTo(records.get(r).get(c).getBytes(StandardCharsets.UTF_8));
                assertThat(fromBinary.text(r, c)).isEqualTo(expected.get(c));
            }
        }
        assertThat(fromBinary.text(2, 3)).isEqualTo("x?y");
        assertThat(fromCsv.records()).isEqualTo(2);
        assertThat(fromCsv.fields(0)).containsExactly("a", "b");
        assertThat(fromCsv.fields(1)).containsExactly("c\nd", "Zoë");
        assertThatThrownBy(() -> fromCsv.text(1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ChunkReader.readCells(new ByteArrayInputStream(
                java.util.Arrays.copyOf(binary.toByteArray(), binary.size() - 2))))
                .isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void a_cut_or_damaged_binary_chunk_input_fails_and_a_short_csv_part_still_reads() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ChunkWriter writer = ChunkReader.writer(bytes)) {
            writer.writeRecord(List.of("1", "ann@example.com"));
        }
        byte[] whole = bytes.toByteArray();

        assertThatThrownBy(() -> ChunkReader.read(new ByteArrayInputStream(
                java.util.Arrays.copyOf(whole, whole.length - 2)), fields -> { }))
                .isInstanceOf(java.io.EOFException.class);
        byte[] damaged = java.util.Arrays.copyOf(whole, 4 + 5);
        java.util.Arrays.fill(damaged, 4, 9, (byte) 0xff);
        assertThatThrownBy(() -> ChunkReader.read(new ByteArrayInputStream(damaged), fields -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged");

        List<List<String>> seen = new ArrayList<>();
        assertThat(ChunkReader.read(new ByteArrayInputStream(utf8("a\n")), seen::add)).isEqualTo(1);
        assertThat(seen).containsExactly(List.of("a"));
    }

    @Test
    void chunk_reader_returns_the_record_count() throws IOException {
        // given
        byte[] part = utf8("a,b\n\"c\nd\",e\n");

        // when
        List<List<String>> seen = new ArrayList<>();
        long count = ChunkReader.read(new ByteArrayInputStream(part), f -> seen.add(List.copyOf(f)));

        // then
        assertThat(count).isEqualTo(2);
        assertThat(seen).containsExactly(List.of("a", "b"), List.of("c\nd", "e"));
    }

    @Test
    void the_observer_sees_each_data_row_with_its_key_cell_across_chunks() throws Exception {
        // given a sep= line, a header, blank lines, a short record and chunks of two records
        byte[] file = utf8("sep=;\nname;email\nAnn;a@example.com\n\n;;\nBo\n  ;  \nCarl;c@example.com;x\n");
        List<String> seen = new ArrayList<>();

        // when
        LoadSummary summary = new FileLoader(new LoadOptions("email", 2, Long.MAX_VALUE))
                .load(new ByteArrayInputStream(file), sink, (row, cell) -> seen.add(row + " " + cell));

        // then every data record is seen once, numbered as the chunk parts number it, with its email cell
        assertThat(summary.records()).isEqualTo(3);
        assertThat(sink.parts()).isEqualTo(2);
        assertThat(seen).containsExactly("1 a@example.com", "2 ", "3 c@example.com");
        assertThat(sink.allRecords()).extracting(fields -> fields.size() > 1 ? fields.get(1) : "")
                .containsExactly("a@example.com", "", "c@example.com");
    }
}
