package dev.sluice.core.result;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.result.ResultAssembler.IOSupplier;
import dev.sluice.core.verify.EmailVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class VerifyPassAndAssemblerTest {

    private static final List<String> COLUMNS = List.of("name", "email", "note");

    /** Chunk part 1: a padded short row, a role account, an invalid cell, a quoted comma and newline. */
    private static final String CHUNK_1 = "Ann,Ann@Example.COM,first\nBob,info@example.com\nCy,not-an-email,\"x, y\"\n";

    /** Chunk part 2: a row without the email cell at all, and a plain valid one. */
    private static final String CHUNK_2 = "Dee\nEve,eve@example.org,\"line\nbreak\"\n";

    private final EmailVerifier verifier = new EmailVerifier();

    private record Run(VerifyCounts counts, String output) {
    }

    private Run verifyAndAssemble(ResultFormat format, String... chunks) throws IOException {
        VerifyPass pass = new VerifyPass(verifier, format, COLUMNS, 1);
        List<IOSupplier<InputStream>> parts = new ArrayList<>();
        VerifyCounts counts = VerifyCounts.zero();
        long firstRow = 1;
        for (String chunk : chunks) {
            ByteArrayOutputStream part = new ByteArrayOutputStream();
            VerifyCounts chunkCounts = pass.run(
                    new ByteArrayInputStream(chunk.getBytes(StandardCharsets.UTF_8)), firstRow, part);
            counts = counts.plus(chunkCounts);
            firstRow += chunkCounts.records();
            byte[] bytes = part.toByteArray();
            parts.add(() -> new ByteArrayInputStream(bytes));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultAssembler.assemble(format, COLUMNS, parts, out);
        return new Run(counts, out.toString(StandardCharsets.UTF_8));
    }

    private static List<Map<String, String>> parse(ResultFormat format, String output) throws IOException {
        return format == ResultFormat.CSV ? parseCsv(output) : parseJson(output, format);
    }

    private static List<Map<String, String>> parseCsv(String output) throws IOException {
        assertThat(output.lines().findFirst().orElseThrow().split(",")).containsExactly("name", "email", "note",
                "sluice_row", "sluice_status", "sluice_reason", "sluice_email", "sluice_role", "sluice_disposable",
                "sluice_free", "sluice_suggestion", "sluice_cached", "sluice_provider", "sluice_score",
                "sluice_safe_to_send", "sluice_duplicate_of");
        return csvRows(output);
    }

    /** The rows of a CSV result, each by its header's names. */
    private static List<Map<String, String>> csvRows(String output) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(output)) {
            List<String> header = null;
            for (CsvRecord record : reader) {
                if (header == null) {
                    header = record.getFields();
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), record.getField(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Parses a JSON array of flat objects, or NDJSON; every scalar as its text. */
    private static List<Map<String, String>> parseJson(String output, ResultFormat format) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), output)) {
            if (format == ResultFormat.JSON) {
                assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            }
            for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY;
                 token = parser.nextToken()) {
                assertThat(token).isEqualTo(JsonToken.START_OBJECT);
                Map<String, String> row = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    String text = parser.getString();
                    row.put(name, value == JsonToken.VALUE_STRING ? text : value.name() + ":" + text);
                }
                rows.add(row);
            }
            if (format == ResultFormat.JSON) {
                assertThat(parser.nextToken()).isNull();
            }
        }
        return rows;
    }

    /** The typed scalars: JSON numbers and booleans are tagged by {@link #parseJson}, CSV has text only. */
    private static String number(ResultFormat format, long n) {
        return format == ResultFormat.CSV ? Long.toString(n) : "VALUE_NUMBER_INT:" + n;
    }

    /** An empty {@code sluice_duplicate_of}: an empty CSV cell, a JSON null. */
    private static String none(ResultFormat format) {
        return format == ResultFormat.CSV ? "" : "VALUE_NULL:null";
    }

    private static String bool(ResultFormat format, boolean b) {
        return format == ResultFormat.CSV ? Boolean.toString(b) : "VALUE_" + Boolean.toString(b).toUpperCase() + ":" + b;
    }

    @ParameterizedTest
    @EnumSource(value = ResultFormat.class, names = "XML", mode = EnumSource.Mode.EXCLUDE)
    void two_parts_assemble_into_one_result_with_padded_rows_and_running_row_numbers(ResultFormat format)
            throws IOException {
        // when
        Run run = verifyAndAssemble(format, CHUNK_1, CHUNK_2);
        List<Map<String, String>> rows = parse(format, run.output());

        // then
        assertThat(run.counts()).isEqualTo(new VerifyCounts(5, 3, 2, 0, 0));
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).containsExactly(entry("name", "Ann"), entry("email", "Ann@Example.COM"),
                entry("note", "first"), entry("sluice_row", number(format, 1)), entry("sluice_status", "valid"),
                entry("sluice_reason", "offline_checks_passed"), entry("sluice_email", "Ann@example.com"),
                entry("sluice_role", bool(format, false)), entry("sluice_disposable", bool(format, false)),
                entry("sluice_free", bool(format, false)), entry("sluice_suggestion", ""),
                entry("sluice_cached", bool(format, false)), entry("sluice_provider", ""),
                entry("sluice_score", number(format, 60)), entry("sluice_safe_to_send", bool(format, true)),
                entry("sluice_duplicate_of", none(format)));
        assertThat(rows.get(1)).containsEntry("note", "").containsEntry("sluice_role", bool(format, true))
                .containsEntry("sluice_score", number(format, 45))
                .containsEntry("sluice_safe_to_send", bool(format, false));
        assertThat(rows.get(2)).containsEntry("note", "x, y").containsEntry("sluice_status", "invalid")
                .containsEntry("sluice_reason", "syntax_missing_at").containsEntry("sluice_email", "");
        assertThat(rows.get(3)).containsExactly(entry("name", "Dee"), entry("email", ""), entry("note", ""),
                entry("sluice_row", number(format, 4)), entry("sluice_status", "invalid"),
                entry("sluice_reason", "empty"), entry("sluice_email", ""), entry("sluice_role", bool(format, false)),
                entry("sluice_disposable", bool(format, false)), entry("sluice_free", bool(format, false)),
                entry("sluice_suggestion", ""), entry("sluice_cached", bool(format, false)),
                entry("sluice_provider", ""), entry("sluice_score", number(format, 0)),
                entry("sluice_safe_to_send", bool(format, false)), entry("sluice_duplicate_of", none(format)));
        assertThat(rows.get(4)).containsEntry("note", "line\nbreak").containsEntry("sluice_row", number(format, 5));
    }

    @ParameterizedTest
    @EnumSource(value = ResultFormat.class, names = "XML", mode = EnumSource.Mode.EXCLUDE)
    void empty_parts_between_full_ones_leave_no_trace(ResultFormat format) throws IOException {
        // when
        Run run = verifyAndAssemble(format, "", CHUNK_1, "", CHUNK_2, "");
        List<Map<String, String>> rows = parse(format, run.output());

        // then
        assertThat(run.counts()).isEqualTo(new VerifyCounts(5, 3, 2, 0, 0));
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("Ann", "Bob", "Cy", "Dee", "Eve");
    }

    @ParameterizedTest
    @EnumSource(value = ResultFormat.class, names = "XML", mode = EnumSource.Mode.EXCLUDE)
    void no_parts_give_an_empty_but_well_formed_result(ResultFormat format) throws IOException {
        // when
        Run run = verifyAndAssemble(format);

        // then
        assertThat(run.counts()).isEqualTo(VerifyCounts.zero());
        assertThat(parse(format, run.output())).isEmpty();
        assertThat(run.output()).isEqualTo(switch (format) {
            case CSV -> "name,email,note,sluice_row,sluice_status,sluice_reason,sluice_email,sluice_role,"
                    + "sluice_disposable,sluice_free,sluice_suggestion,sluice_cached,sluice_provider,sluice_score,"
                    + "sluice_safe_to_send,sluice_duplicate_of\n";
            case JSON -> "[]\n";
            case NDJSON, XML -> "";
        });
    }

    @Test
    void ndjson_has_one_object_per_line() throws IOException {
        // when
        Run run = verifyAndAssemble(ResultFormat.NDJSON, CHUNK_1, CHUNK_2);

        // then
        String[] lines = run.output().split("\n", -1);
        assertThat(lines).hasSize(6);
        assertThat(lines[5]).isEmpty();
        assertThat(lines[0]).startsWith("{").endsWith("}");
    }

    @Test
    void json_part_has_no_brackets_and_no_leading_or_trailing_comma() throws IOException {
        // given
        VerifyPass pass = new VerifyPass(verifier, ResultFormat.JSON, COLUMNS, 1);
        ByteArrayOutputStream part = new ByteArrayOutputStream();

        // when
        pass.run(new ByteArrayInputStream(CHUNK_2.getBytes(StandardCharsets.UTF_8)), 10, part);

        // then
        String text = part.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"name\":\"Dee\"").endsWith("}").contains("},{").doesNotContain("[");
    }

    @Test
    void verify_pass_does_not_close_the_part_stream() throws IOException {
        // given
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.OutputStream part = new java.io.FilterOutputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        // when
        new VerifyPass(verifier, ResultFormat.CSV, COLUMNS, 1)
                .run(new ByteArrayInputStream(CHUNK_1.getBytes(StandardCharsets.UTF_8)), 1, part);

        // then
        assertThat(closed[0]).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(3);
    }

    @Test
    void format_wire_values_round_trip_and_unknown_ones_name_the_allowed() {
        assertThat(ResultFormat.values()).extracting(ResultFormat::wire).containsExactly("csv", "json", "ndjson", "xml");
        assertThat(ResultFormat.fromWire(" NDJSON ")).isEqualTo(ResultFormat.NDJSON);
        assertThat(ResultFormat.JSON.mediaType()).isEqualTo("application/json");
        assertThat(ResultFormat.CSV.extension()).isEqualTo("csv");
        assertThat(ResultFormat.XML.recordResults()).isFalse();
        assertThat(ResultFormat.CSV.recordResults()).isTrue();
        assertThatThrownBy(() -> ResultFormat.fromWire("yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown result format \"yaml\"; allowed: csv, json, ndjson, xml");
    }

    @Test
    void counts_add_up_field_by_field() {
        assertThat(new VerifyCounts(3, 1, 1, 1, 0).plus(new VerifyCounts(2, 0, 1, 0, 1)))
                .isEqualTo(new VerifyCounts(5, 1, 2, 1, 1));
        assertThat(VerifyCounts.zero().plus(VerifyCounts.zero())).isEqualTo(new VerifyCounts(0, 0, 0, 0, 0));
    }

    @Test
    void csv_cells_that_a_spreadsheet_would_run_are_prefixed_with_a_quote_and_json_is_not() throws IOException {
        // given cells that spreadsheets evaluate
        String chunk = "=HYPERLINK(\"http://x.example\"),a@example.com,@SUM(1)\n+1 555,b@example.com,-2\n";
        List<String> columns = List.of("=name", "email", "note");

        // when
        String csv = assemble(new VerifyPass(verifier, ResultFormat.CSV, columns, 1), ResultFormat.CSV, columns, chunk,
                true);
        String json = assemble(new VerifyPass(verifier, ResultFormat.NDJSON, columns, 1), ResultFormat.NDJSON, columns,
                chunk, true);

        // then
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).startsWith("'=name,email,note,sluice_row");
        assertThat(lines.get(1)).startsWith("\"'=HYPERLINK(\"\"http://x.example\"\")\",a@example.com,'@SUM(1),1,");
        assertThat(lines.get(2)).startsWith("'+1 555,b@example.com,'-2,2,");
        assertThat(json).contains("\"=name\":\"=HYPERLINK(\\\"http://x.example\\\")\"", "\"note\":\"@SUM(1)\"");
    }

    @Test
    void csv_cells_are_kept_raw_when_formulas_are_not_escaped() throws IOException {
        // given
        String chunk = "=HYPERLINK(1),a@example.com,@SUM(1)\n";
        List<String> columns = List.of("=name", "email", "note");

        // when
        String csv = assemble(new VerifyPass(verifier, ResultFormat.CSV, columns, 1, false), ResultFormat.CSV, columns,
                chunk, false);

        // then
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).startsWith("=name,email,note,sluice_row");
        assertThat(lines.get(1)).startsWith("=HYPERLINK(1),a@example.com,@SUM(1),1,");
    }

    @Test
    void verdict_columns_of_every_shape_in_any_order_are_written_as_each_verdict_says() throws IOException {
        // given verdicts of every status, reason, flag, cache mark and provider (one that needs quoting, one that
        // starts with '#'), in random order, so that runs of alike rows and changes between them both occur
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        dev.sluice.core.verify.VerdictStatus[] statuses = dev.sluice.core.verify.VerdictStatus.values();
        dev.sluice.core.verify.Reason[] reasons = dev.sluice.core.verify.Reason.values();
        String[] providers = {null, null, "google", "microsoft", "odd, \"provider\"", "#hash"};
        Map<String, dev.sluice.core.verify.Verdict> verdicts = new LinkedHashMap<>();
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            String address = "a" + i + "@example.com";
            boolean repeat = random.nextInt(3) == 0 && i > 0;
            dev.sluice.core.verify.Verdict previous = i > 0 ? verdicts.get("a" + (i - 1) + "@example.com") : null;
            dev.sluice.core.verify.Verdict verdict = repeat
                    ? new dev.sluice.core.verify.Verdict(previous.status(), previous.reason(), address, previous.role(),
                            previous.disposable(), previous.free(), previous.suggestion(), previous.cached(),
                            previous.provider())
                    : new dev.sluice.core.verify.Verdict(statuses[random.nextInt(statuses.length)],
                            reasons[random.nextInt(reasons.length)], random.nextInt(5) == 0 ? null : address,
                            random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                            random.nextBoolean() ? null : "=typo.example", random.nextBoolean(),
                            providers[random.nextInt(providers.length)]);
            verdicts.put(address, verdict);
            chunk.append(i).append(',').append(address).append('\n');
        }
        VerifyPass pass = new VerifyPass(cells -> cells.stream().map(verdicts::get).toList(), ResultFormat.CSV,
                List.of("id", "email"), 1);

        // when
        String csv = assemble(pass, ResultFormat.CSV, List.of("id", "email"), chunk.toString(), true);

        // then each row's verdict columns are its verdict's, field by field
        List<Map<String, String>> rows = csvRows(csv);
        assertThat(rows).hasSize(verdicts.size());
        int i = 0;
        for (dev.sluice.core.verify.Verdict verdict : verdicts.values()) {
            Map<String, String> row = rows.get(i++);
            assertThat(row.get("sluice_status")).isEqualTo(verdict.status().wire());
            assertThat(row.get("sluice_reason")).isEqualTo(verdict.reason().code());
            assertThat(row.get("sluice_email")).isEqualTo(verdict.normalized() == null ? "" : verdict.normalized());
            assertThat(row.get("sluice_role")).isEqualTo(Boolean.toString(verdict.role()));
            assertThat(row.get("sluice_disposable")).isEqualTo(Boolean.toString(verdict.disposable()));
            assertThat(row.get("sluice_free")).isEqualTo(Boolean.toString(verdict.free()));
            assertThat(row.get("sluice_suggestion")).isEqualTo(verdict.suggestion() == null ? "" : "'=typo.example");
            assertThat(row.get("sluice_cached")).isEqualTo(Boolean.toString(verdict.cached()));
            assertThat(row.get("sluice_provider")).isEqualTo(verdict.provider() == null ? "" : verdict.provider());
            assertThat(row.get("sluice_score"))
                    .isEqualTo(Integer.toString(dev.sluice.core.verify.VerdictScore.score(verdict)));
            assertThat(row.get("sluice_safe_to_send"))
                    .isEqualTo(Boolean.toString(dev.sluice.core.verify.VerdictScore.safeToSend(verdict)));
            assertThat(row.get("sluice_duplicate_of")).isEmpty();
        }
    }

    private static String assemble(VerifyPass pass, ResultFormat format, List<String> columns, String chunk,
                                   boolean escapeFormulas) throws IOException {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        pass.run(new ByteArrayInputStream(chunk.getBytes(StandardCharsets.UTF_8)), 1, part);
        byte[] bytes = part.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultAssembler.assemble(format, columns, List.of(() -> new ByteArrayInputStream(bytes)), out, escapeFormulas);
        return out.toString(StandardCharsets.UTF_8);
    }
}
