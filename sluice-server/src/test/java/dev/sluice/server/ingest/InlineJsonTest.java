package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class InlineJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private String csv(String text) throws IOException {
        InlineJson.Scan scan = InlineJson.scan(json, body(text), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InlineJson.writeCsv(json, body(text), scan.columns(), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void records_become_csv_with_the_union_of_keys_in_order_of_first_appearance() throws IOException {
        // given objects with keys appearing late, a plain string, and values of every JSON type
        String body = """
                {"job": "ignored", "records": [
                  {"email": "a@example.com", "id": 1},
                  "b@example.org",
                  {"id": 2.5, "email": "c@example.net", "vip": true, "note": null, "tags": ["x", 2], "meta": {"k": "v"}},
                  {"email": "d@example.com", "text": "comma, \\"quote\\"\\nline"}
                ], "after": [1, 2, 3]}""";

        // when / then: the same cells as when the body was read whole into maps (Java's text of each value)
        assertThat(csv(body)).isEqualTo("""
                email,id,vip,note,tags,meta,text
                a@example.com,1,,,,,
                b@example.org,,,,,,
                c@example.net,2.5,true,,"[x, 2]",{k=v},
                d@example.com,,,,,,"comma, ""quote""
                line"
                """);
    }

    @Test
    void a_bare_array_is_the_records() throws IOException {
        InlineJson.Scan scan = InlineJson.scan(json, body("[\"a@example.com\", {\"email\": \"b@example.org\"}]"), false);

        assertThat(scan.records()).isEqualTo(InlineJson.Records.ROOT);
        assertThat(scan.count()).isEqualTo(2);
        assertThat(scan.columns()).containsExactly("email");
        assertThat(scan.invalid()).isNull();
    }

    @Test
    void the_root_objects_other_properties_are_read_only_when_asked_for() throws IOException {
        String text = "{\"output_format\": \"CSV\", \"records\": [\"a@example.com\"], \"notification_URL\": \"http://x\"}";

        assertThat(InlineJson.scan(json, body(text), true).attributes())
                .isEqualTo(Map.of("output_format", "CSV", "notification_URL", "http://x"));
        assertThat(InlineJson.scan(json, body(text), false).attributes()).isEmpty();
    }

    @Test
    void a_record_that_is_neither_an_object_nor_a_string_is_named_by_its_index() throws IOException {
        InlineJson.Scan scan = InlineJson.scan(json, body("{\"records\": [\"a@example.com\", [1], 7]}"), false);

        assertThat(scan.count()).isEqualTo(3);
        assertThat(scan.invalid()).isEqualTo("records[1] must be an object or a string, was an array");
    }

    @Test
    void records_that_are_not_an_array_or_missing_are_told_apart() throws IOException {
        assertThat(InlineJson.scan(json, body("{\"records\": \"x\"}"), false).records())
                .isEqualTo(InlineJson.Records.NOT_AN_ARRAY);
        assertThat(InlineJson.scan(json, body("{\"items\": []}"), false).records()).isEqualTo(InlineJson.Records.ABSENT);
        assertThat(InlineJson.scan(json, body("\"a@example.com\""), false).records())
                .isEqualTo(InlineJson.Records.ABSENT);
    }

    @Test
    void invalid_or_trailing_json_is_invalid_request() {
        for (String text : new String[]{"[", "", "{\"records\": [\"a@example.com\"]} {}", "{\"records\": [,]}"}) {
            assertThatThrownBy(() -> InlineJson.scan(json, body(text), false))
                    .as(text)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageStartingWith("the body is not valid JSON");
        }
    }
}
