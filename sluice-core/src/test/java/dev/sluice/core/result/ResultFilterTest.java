package dev.sluice.core.result;

import dev.sluice.core.verify.VerdictStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ResultFilterTest {

    /** Columns by name: a provider and a safe_to_send column in the middle, cells quoted as FastCSV writes. */
    private static final String CSV = """
            name,email,sluice_row,sluice_status,sluice_reason,sluice_email,sluice_provider,sluice_safe_to_send,note
            Ann,ann@example.com,1,valid,smtp_accepted,ann@example.com,google,true,"a, b"
            Bob,bob@example.org,2,invalid,smtp_rejected,bob@example.org,microsoft,false,x
            "Cy ""C""\",cy@catch.example.net,3,accept_all,accept_all,cy@catch.example.net,,false,"line
            break"
            Dee,not-an-email,4,invalid,syntax,,,false,
            Eve,eve@example.com,5,valid,smtp_accepted,eve@example.com,google,false,'=1+1
            """;

    private static final String JSON = "[{\"email\":\"ann@example.com\",\"sluice_row\":1,\"sluice_status\":\"valid\","
            + "\"sluice_reason\":\"smtp_accepted\",\"sluice_email\":\"ann@example.com\",\"sluice_role\":false},"
            + "{\"email\":\"b\\\"ob@example.org\",\"sluice_row\":2,\"sluice_status\":\"unknown\","
            + "\"sluice_reason\":\"timeout\",\"sluice_email\":\"\",\"sluice_role\":true},"
            + "{\"email\":\"cy@example.net\",\"sluice_row\":3,\"sluice_status\":\"valid\","
            + "\"sluice_reason\":\"smtp_accepted\",\"sluice_email\":\"cy@example.net\",\"sluice_role\":false}]\n";

    private static String filter(ResultFilter filter, ResultFormat format, String result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        filter.copy(format, new ByteArrayInputStream(result.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ResultFilter parse(String status, String safe) {
        return ResultFilter.parse(status, safe).orElseThrow();
    }

    @Test
    void csv_keeps_the_header_the_quoting_and_the_order_of_the_rows_whose_status_is_asked() throws IOException {
        // when
        String out = filter(parse("valid,accept_all", null), ResultFormat.CSV, CSV);

        // then
        assertThat(out).isEqualTo("""
                name,email,sluice_row,sluice_status,sluice_reason,sluice_email,sluice_provider,sluice_safe_to_send,note
                Ann,ann@example.com,1,valid,smtp_accepted,ann@example.com,google,true,"a, b"
                "Cy ""C""\",cy@catch.example.net,3,accept_all,accept_all,cy@catch.example.net,,false,"line
                break"
                Eve,eve@example.com,5,valid,smtp_accepted,eve@example.com,google,false,'=1+1
                """);
    }

    @Test
    void a_filter_of_every_status_copies_the_result_byte_for_byte() throws IOException {
        ResultFilter all = parse("valid,invalid,accept_all,unknown", null);

        assertThat(filter(all, ResultFormat.CSV, CSV)).isEqualTo(CSV);
        assertThat(filter(all, ResultFormat.JSON, JSON)).isEqualTo(JSON);
        String ndjson = JSON.substring(1, JSON.length() - 2).replace("},{", "}\n{") + "\n";
        assertThat(filter(all, ResultFormat.NDJSON, ndjson)).isEqualTo(ndjson);
    }

    @Test
    void json_and_ndjson_keep_the_asked_objects_with_their_types() throws IOException {
        // when
        String json = filter(parse("unknown", null), ResultFormat.JSON, JSON);
        String ndjson = filter(parse("valid", null), ResultFormat.NDJSON,
                JSON.substring(1, JSON.length() - 2).replace("},{", "}\n{") + "\n");

        // then
        assertThat(json).isEqualTo("[{\"email\":\"b\\\"ob@example.org\",\"sluice_row\":2,\"sluice_status\":\"unknown\","
                + "\"sluice_reason\":\"timeout\",\"sluice_email\":\"\",\"sluice_role\":true}]\n");
        assertThat(ndjson.lines()).hasSize(2).allMatch(line -> line.contains("\"sluice_status\":\"valid\""));
        assertThat(filter(parse("accept_all", null), ResultFormat.JSON, JSON)).isEqualTo("[]\n");
    }

    @Test
    void safe_to_send_reads_its_column_by_name() throws IOException {
        String out = filter(parse(null, "true"), ResultFormat.CSV, CSV);

        assertThat(out.lines()).hasSize(2);
        assertThat(out.lines().skip(1)).allMatch(line -> line.startsWith("Ann,"));
    }

    @Test
    void safe_to_send_on_a_result_without_the_column_is_refused() {
        assertThatThrownBy(() -> filter(parse("valid", "true"), ResultFormat.JSON, JSON))
                .isInstanceOf(MissingColumnException.class)
                .hasMessage("the result has no sluice_safe_to_send column");
    }

    @Test
    void bad_values_are_refused_by_name_and_no_parameter_is_no_filter() {
        assertThat(ResultFilter.parse(null, null)).isEmpty();
        assertThatThrownBy(() -> ResultFilter.parse("valid,great", null))
                .hasMessage("unknown status \"great\"; allowed: valid, invalid, accept_all, unknown");
        assertThatThrownBy(() -> ResultFilter.parse("", null)).hasMessageStartingWith("unknown status \"\"");
        assertThatThrownBy(() -> ResultFilter.parse(null, "yes"))
                .hasMessage("safe_to_send must be true or false, not \"yes\"");
    }

    @Test
    void keys_are_canonical_and_read_back() {
        assertThat(parse(" ACCEPT_ALL,valid", null).key()).isEqualTo("valid-accept_all");
        assertThat(parse(null, "true").key()).isEqualTo("safe_to_send");
        assertThat(parse("invalid", "false").key()).isEqualTo("invalid-not_safe_to_send");
        assertThat(parse("valid,invalid,accept_all,unknown", null).key()).isEqualTo("all");
        for (String key : new String[] {"valid-accept_all", "safe_to_send", "invalid-not_safe_to_send", "all"}) {
            assertThat(ResultFilter.fromKey(key).key()).isEqualTo(key);
        }
        assertThat(ResultFilter.fromKey("valid-unknown").statuses())
                .isEqualTo(EnumSet.of(VerdictStatus.VALID, VerdictStatus.UNKNOWN));
        assertThatThrownBy(() -> ResultFilter.fromKey("unknown-valid"))
                .hasMessage("\"unknown-valid\" is not a filter key; its canonical form is valid-unknown");
    }

    @Test
    void a_report_counts_statuses_reasons_providers_and_domains_adding_up_to_the_rows() throws IOException {
        // when
        ResultReport report = ResultReport.of(ResultFormat.CSV,
                new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8)), "email", 2);

        // then
        assertThat(report.records()).isEqualTo(5);
        assertThat(report.statuses()).containsExactly(entry("valid", 2L), entry("invalid", 2L),
                entry("accept_all", 1L), entry("unknown", 0L));
        assertThat(report.reasons()).containsExactly(entry("smtp_accepted", 2L), entry("accept_all", 1L),
                entry("smtp_rejected", 1L), entry("syntax", 1L));
        assertThat(report.providers()).containsExactly(entry("google", 2L), entry("microsoft", 1L));
        assertThat(report.domains()).containsExactly(entry("example.com", 2L), entry("catch.example.net", 1L));
        ResultReport twice = ResultReport.sum(java.util.List.of(report, report), 1);
        assertThat(twice.statuses()).containsEntry("valid", 4L);
        assertThat(twice.domains()).isEqualTo(Map.of("example.com", 4L));
    }

    @Test
    void past_the_tracked_domains_the_rarest_are_dropped_and_the_frequent_ones_stay_on_top() throws IOException {
        // given a frequent domain among many that occur once
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String domain = i % 3 == 0 ? "often.example.com" : "rare" + i + ".example.com";
            ndjson.append("{\"email\":\"a@").append(domain).append("\",\"sluice_status\":\"valid\"}\n");
        }

        // when at most 8 distinct domains are tracked at once
        ResultReport report = ResultReport.of(ResultFormat.NDJSON,
                new ByteArrayInputStream(ndjson.toString().getBytes(StandardCharsets.UTF_8)), "email", 1, 8);

        // then every row is still counted by status, and the frequent domain is on top with its rows
        assertThat(report.records()).isEqualTo(100);
        assertThat(report.statuses()).containsEntry("valid", 100L);
        assertThat(report.domains()).containsOnlyKeys("often.example.com");
        assertThat(report.domains().get("often.example.com")).isBetween(30L, 34L);
    }

    @Test
    void a_json_report_has_no_providers_when_the_column_is_absent() throws IOException {
        ResultReport report = ResultReport.of(ResultFormat.JSON,
                new ByteArrayInputStream(JSON.getBytes(StandardCharsets.UTF_8)), "email", 20);

        assertThat(report.providers()).isEmpty();
        assertThat(report.statuses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(report.domains()).containsExactly(entry("example.com", 1L), entry("example.net", 1L),
                entry("example.org", 1L));
    }
}
