package dev.sluice.core.append;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.result.ResultAssembler.IOSupplier;
import dev.sluice.core.result.ResultFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendResultTest {

    private static final List<String> INPUT = List.of("first_name", "Email", "note");

    private String twoParts(ResultFormat format) throws IOException {
        AppendResult result = new AppendResult(format, INPUT, List.of("email", "phone"));
        List<IOSupplier<InputStream>> parts = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            AppendResult.Part part = result.part(bytes);
            if (p == 0) {
                part.row(List.of("Ann", "", "x, y"), List.of("ann@example.com", "555"), MatchCode.EXACT);
                part.row(List.of("Bob"), Arrays.asList(null, null), MatchCode.NONE);
            } else if (p == 2) {
                part.row(List.of("Cy", "c@example.com", "z", "extra"), List.of("cy@example.com", ""),
                        MatchCode.NORMALIZED);
            }
            part.finish();
            byte[] written = bytes.toByteArray();
            parts.add(() -> new ByteArrayInputStream(written));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        result.assemble(parts, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void header_keeps_input_columns_and_suffixes_colliding_appended_names() {
        AppendResult result = new AppendResult(ResultFormat.CSV, List.of("email", "sluice_match"), List.of("email"));

        assertThat(result.header()).containsExactly("email", "sluice_match", "email_2", "sluice_match_2");
    }

    @Test
    void csv_has_the_header_then_one_row_per_record_with_padding_and_cut_cells() throws IOException {
        assertThat(twoParts(ResultFormat.CSV)).isEqualTo("""
                first_name,Email,note,email_2,phone,sluice_match
                Ann,,"x, y",ann@example.com,555,exact
                Bob,,,,,none
                Cy,c@example.com,z,cy@example.com,,normalized
                """);
    }

    @Test
    void json_is_one_array_and_empty_parts_leave_no_stray_comma() throws IOException {
        assertThat(twoParts(ResultFormat.JSON)).isEqualTo("["
                + "{\"first_name\":\"Ann\",\"Email\":\"\",\"note\":\"x, y\",\"email_2\":\"ann@example.com\","
                + "\"phone\":\"555\",\"sluice_match\":\"exact\"},"
                + "{\"first_name\":\"Bob\",\"Email\":\"\",\"note\":\"\",\"email_2\":\"\",\"phone\":\"\","
                + "\"sluice_match\":\"none\"},"
                + "{\"first_name\":\"Cy\",\"Email\":\"c@example.com\",\"note\":\"z\","
                + "\"email_2\":\"cy@example.com\",\"phone\":\"\",\"sluice_match\":\"normalized\"}]\n");
    }

    @Test
    void ndjson_is_one_object_per_line() throws IOException {
        List<String> lines = twoParts(ResultFormat.NDJSON).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("{\"first_name\":\"Bob\",\"Email\":\"\",\"note\":\"\",\"email_2\":\"\","
                + "\"phone\":\"\",\"sluice_match\":\"none\"}");
    }

    @Test
    void csv_cells_that_a_spreadsheet_would_run_are_prefixed_unless_kept_raw() throws IOException {
        for (boolean escape : new boolean[]{true, false}) {
            // given
            AppendResult result = new AppendResult(ResultFormat.CSV, List.of("@name", "note"), List.of("phone"), escape);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            AppendResult.Part part = result.part(bytes);

            // when
            part.row(List.of("=HYPERLINK(1)", "-x"), List.of("+1 555"), MatchCode.EXACT);
            part.finish();
            byte[] written = bytes.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            result.assemble(List.of(() -> new ByteArrayInputStream(written)), out);

            // then
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(escape
                    ? "'@name,note,phone,sluice_match\n'=HYPERLINK(1),'-x,'+1 555,exact\n"
                    : "@name,note,phone,sluice_match\n=HYPERLINK(1),-x,+1 555,exact\n");
        }
    }
}
