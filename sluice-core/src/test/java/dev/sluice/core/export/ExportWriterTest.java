package dev.sluice.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.result.ResultFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ExportWriterTest {

    private static final List<String> COLUMNS = List.of("id", "name", "amount", "active", "born", "seen");
    private static final List<Object> TYPED = Arrays.asList(7L, "Ann", new BigDecimal("1E+3"), true,
            LocalDate.of(2026, 11, 23), OffsetDateTime.of(2026, 11, 23, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
    private static final List<Object> NULLS = Arrays.asList(-8L, null, new BigDecimal("-0.50"), false, null, null);

    private static String export(ResultFormat format, List<String> columns, List<?>... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportWriter writer = ExportWriter.open(format, columns, out);
        for (List<?> record : records) {
            writer.write(record);
        }
        writer.finish();
        assertThat(writer.records()).isEqualTo(records.length);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void csv_has_a_header_crlf_records_and_canonical_values() throws IOException {
        String csv = export(ResultFormat.CSV, COLUMNS, TYPED, NULLS);

        assertThat(csv).isEqualTo("id,name,amount,active,born,seen\r\n"
                + "7,Ann,1000,true,2026-11-23,2026-11-23T08:00:00Z\r\n"
                + "-8,,-0.50,false,,\r\n");
    }

    @Test
    void csv_neutralises_text_cells_that_a_spreadsheet_would_run_as_formulas() throws IOException {
        List<String> columns = List.of("cell");
        String csv = export(ResultFormat.CSV, columns, List.of("=HYPERLINK(\"http://x\",\"y\")"), List.of("+1"),
                List.of("-2+3"), List.of("@SUM(A1)"), List.of("\tx"), List.of("\rx"), List.of("a=b"), List.of(""),
                List.of("'quoted"));

        List<String> cells = parseCsv(csv).stream().skip(1).map(r -> r.getField(0)).toList();
        assertThat(cells).containsExactly("'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx",
                "a=b", "", "'quoted");
        assertThat(csv).contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    }

    @Test
    void csv_never_prefixes_typed_numbers() throws IOException {
        String csv = export(ResultFormat.CSV, List.of("n", "d"), List.of(-5L, new BigDecimal("-1.5")));

        assertThat(csv).isEqualTo("n,d\r\n-5,-1.5\r\n");
    }

    @Test
    void csv_quotes_commas_quotes_and_line_breaks_and_keeps_unicode() throws IOException {
        String odd = "a,b \"c\"\nd\r\ne é 日本 😀";
        String csv = export(ResultFormat.CSV, List.of("k", "v"), List.of("1", odd), List.of("2", " spaced "));

        List<CsvRecord> rows = parseCsv(csv);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).getField(1)).isEqualTo(odd);
        assertThat(rows.get(2).getField(1)).isEqualTo(" spaced ");
        assertThat(csv.getBytes(StandardCharsets.UTF_8)[0]).isEqualTo((byte) 'k');
    }

    @Test
    void json_is_one_array_of_typed_objects() throws IOException {
        String json = export(ResultFormat.JSON, COLUMNS, TYPED, NULLS);

        assertThat(json).isEqualTo("[{\"id\":7,\"name\":\"Ann\",\"amount\":1000,\"active\":true,\"born\":\"2026-11-23\","
                + "\"seen\":\"2026-11-23T08:00:00Z\"},"
                + "{\"id\":-8,\"name\":null,\"amount\":-0.50,\"active\":false,\"born\":null,\"seen\":null}]");
    }

    @Test
    void json_with_no_records_is_an_empty_array() throws IOException {
        assertThat(export(ResultFormat.JSON, COLUMNS)).isEqualTo("[]");
        assertThat(export(ResultFormat.NDJSON, COLUMNS)).isEmpty();
        assertThat(export(ResultFormat.CSV, COLUMNS)).isEqualTo("id,name,amount,active,born,seen\r\n");
    }

    @Test
    void json_escapes_quotes_control_characters_and_keeps_formula_text_as_is() throws IOException {
        String json = export(ResultFormat.NDJSON, List.of("v"), List.of("=1+1 \"q\" \\ \n\t\u0001 é"));

        assertThat(json).isEqualTo("{\"v\":\"=1+1 \\\"q\\\" \\\\ \\n\\t\\u0001 é\"}\n");
    }

    @Test
    void ndjson_writes_one_object_per_line() throws IOException {
        String ndjson = export(ResultFormat.NDJSON, COLUMNS, TYPED, NULLS);

        assertThat(ndjson.split("\n", -1)).hasSize(3);
        assertThat(ndjson).startsWith("{\"id\":7,\"name\":\"Ann\",").endsWith("\"seen\":null}\n");
    }

    @Test
    void xml_has_a_record_element_per_record_and_no_element_for_null() throws Exception {
        String xml = export(ResultFormat.XML, COLUMNS, TYPED, NULLS);

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><records><record><id>7</id><name>Ann</name>"
                + "<amount>1000</amount><active>true</active><born>2026-11-23</born><seen>2026-11-23T08:00:00Z</seen></record>"
                + "<record><id>-8</id><amount>-0.50</amount><active>false</active></record></records>");
        Document doc = parseXml(xml);
        assertThat(doc.getDocumentElement().getElementsByTagName("record").getLength()).isEqualTo(2);
    }

    @Test
    void xml_escapes_markup_keeps_cr_and_replaces_what_xml_cannot_carry() throws Exception {
        String odd = "<a href=\"x\">&amp;</a> ]]> \r\n\t é 😀";
        String xml = export(ResultFormat.XML, List.of("v"), List.of(odd), List.of("bell\u0007 \uD800 nul\u0000"));

        NodeList values = parseXml(xml).getElementsByTagName("v");
        assertThat(values.item(0).getTextContent()).isEqualTo(odd);
        assertThat(values.item(1).getTextContent()).isEqualTo("bell\uFFFD \uFFFD nul\uFFFD");
    }

    @Test
    void xml_refuses_column_names_that_are_not_element_names() {
        assertThatThrownBy(() -> ExportWriter.open(ResultFormat.XML, List.of("1st"), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1st'");
    }

    @Test
    void a_record_of_the_wrong_width_is_refused() throws IOException {
        ExportWriter writer = ExportWriter.open(ResultFormat.CSV, List.of("a", "b"), new ByteArrayOutputStream());

        assertThatThrownBy(() -> writer.write(List.of("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a record of 1 values for 2 columns");
    }

    @Test
    void zip_holds_each_entry_and_leaves_the_target_open() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        boolean[] closed = {false};
        OutputStream guarded = new java.io.FilterOutputStream(target) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (ExportZip zip = new ExportZip(guarded)) {
            try (OutputStream entry = zip.next("export-people.csv")) {
                ExportWriter writer = ExportWriter.open(ResultFormat.CSV, List.of("a"), entry);
                writer.write(List.of("=x"));
                writer.finish();
            }
            zip.next("second.txt").write("two".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(closed[0]).isFalse();
        List<String> names = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(target.toByteArray()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                contents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(names).containsExactly("export-people.csv", "second.txt");
        assertThat(contents).containsExactly("a\r\n'=x\r\n", "two");
    }

    @Test
    void zip_refuses_a_duplicate_entry_name() throws IOException {
        try (ExportZip zip = new ExportZip(new ByteArrayOutputStream())) {
            zip.next("a.csv");
            assertThatThrownBy(() -> zip.next("a.csv")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static List<CsvRecord> parseCsv(String csv) {
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(csv).forEach(rows::add);
        return rows;
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

}
