package dev.sluice.core.result;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvRowWriterTest {

    /** Pieces fields are made of: what needs quoting, non-ASCII text, lone surrogates, the comment character. */
    private static final String[] PIECES = {"a", "Zoë", "😀", ",", "\"", "\n", "\r", "#", " ", "=", "+", "-", "@", "\t", "\ud800", "\udc00",
        "ann@example.com", "x".repeat(9_000), "ü".repeat(5_000), ""};

    @Test
    void rows_are_written_byte_for_byte_as_fastcsv_writes_them() throws IOException {
        List<List<String>> records = records();

        assertThat(ours(records)).isEqualTo(fastCsv(records));
    }

    @Test
    void cells_given_as_utf8_bytes_are_written_as_their_text_is_with_the_formula_guard_or_without()
            throws IOException {
        List<List<String>> records = records();
        List<List<String>> neutralised = records.stream()
                .map(fields -> fields.stream().map(FormulaGuard::neutralise).toList()).toList();

        assertThat(fromBytes(records, false)).isEqualTo(fastCsv(records));
        assertThat(fromBytes(records, true)).isEqualTo(fastCsv(neutralised));
    }

    private static List<List<String>> records() {
        SplittableRandom random = new SplittableRandom(7);
        List<List<String>> records = new ArrayList<>();
        for (int r = 0; r < 3_000; r++) {
            List<String> fields = new ArrayList<>();
            int width = 1 + random.nextInt(6);
            for (int f = 0; f < width; f++) {
                StringBuilder field = new StringBuilder();
                int pieces = random.nextInt(4);
                for (int p = 0; p < pieces; p++) {
                    String piece = PIECES[random.nextInt(PIECES.length)];
                    // the long pieces now and then only, so that the whole stays a few MB
                    field.append(piece.length() > 100 && random.nextInt(20) != 0 ? "y" : piece);
                }
                fields.add(field.toString());
            }
            records.add(fields);
        }
        records.add(List.of("#comment-like first field", "#second"));
        records.add(List.of("", "", ""));
        records.add(List.of("one"));
        records.add(List.of("=1+1", "\t\"tab\"", "-", "@a,b", "\rx"));
        return records;
    }

    /** Each cell handed over as its UTF-8 bytes, from the middle of a larger array. */
    private static byte[] fromBytes(List<List<String>> records, boolean guard) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRowWriter writer = new CsvRowWriter(out);
        for (List<String> record : records) {
            for (String field : record) {
                byte[] utf8 = ("<" + field + ">").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                writer.field(utf8, 1, utf8.length - 1, guard);
            }
            writer.endRecord();
        }
        writer.flush();
        return out.toByteArray();
    }

    @Test
    void numbers_and_words_are_written_as_their_text_would_be() throws IOException {
        long[] numbers = {0, 7, 9, 10, 99, 100, 1_000_000, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        List<String> words = new ArrayList<>(List.of("true", "false"));
        for (dev.sluice.core.verify.VerdictStatus status : dev.sluice.core.verify.VerdictStatus.values()) {
            words.add(status.wire());
        }
        for (dev.sluice.core.verify.Reason reason : dev.sluice.core.verify.Reason.values()) {
            words.add(reason.code());
        }
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        CsvRowWriter ours = new CsvRowWriter(typed);
        CsvRowWriter plain = new CsvRowWriter(text);
        // enough records that numbers meet the buffer's end in every place
        for (int record = 0; record < 2_000; record++) {
            for (long number : numbers) {
                ours.field(number);
                plain.field(Long.toString(number));
            }
            for (String word : words) {
                assertThat(word).matches("[A-Za-z0-9_-]+");
                ours.word(word);
                plain.field(word);
            }
            ours.endRecord();
            plain.endRecord();
        }
        ours.flush();
        plain.flush();

        assertThat(typed.toByteArray()).isEqualTo(text.toByteArray());
    }

    @Test
    void nothing_reaches_the_stream_before_a_flush_and_everything_after() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRowWriter writer = new CsvRowWriter(out);
        writer.field("a").field("b,c");
        writer.endRecord();

        assertThat(out.size()).isZero();
        writer.flush();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a,\"b,c\"\n");
    }

    private static byte[] ours(List<List<String>> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRowWriter writer = new CsvRowWriter(out);
        for (List<String> record : records) {
            for (String field : record) {
                writer.field(field);
            }
            writer.endRecord();
        }
        writer.flush();
        return out.toByteArray();
    }

    private static byte[] fastCsv(List<List<String>> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter writer = VerifyPass.csvWriter(out);
        for (List<String> record : records) {
            writer.writeRecord(record);
        }
        writer.flush();
        return out.toByteArray();
    }
}
