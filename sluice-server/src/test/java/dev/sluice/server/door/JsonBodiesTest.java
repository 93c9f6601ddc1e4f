package dev.sluice.server.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/** A JSON body read by hand: bounded, and refused in sentences every door speaks in its own envelope. */
class JsonBodiesTest {

    private final JsonBodies bodies = new JsonBodies(JsonMapper.builder().build());

    @Test
    void a_body_within_the_limit_is_parsed_into_maps_and_lists() throws Exception {
        // given / when
        Object body = bodies.readRequired(request("{\"records\":[\"a@example.com\"]}", true), 64, "too large");

        // then
        assertThat(body).isEqualTo(Map.of("records", List.of("a@example.com")));
    }

    @Test
    void a_declared_or_actual_size_over_the_limit_answers_413_with_the_callers_sentence() {
        // given: one body that says its length, one that does not (chunked)
        String big = "{\"x\":\"" + "y".repeat(100) + "\"}";

        // when
        ProblemException declared = catchThrowableOfType(ProblemException.class,
                () -> bodies.read(request(big, true), 64, "at most 64 bytes"));
        ProblemException actual = catchThrowableOfType(ProblemException.class,
                () -> bodies.read(request(big, false), 64, "at most 64 bytes"));

        // then
        assertThat(declared.problem()).isEqualTo(Problem.PAYLOAD_TOO_LARGE);
        assertThat(declared).hasMessage("at most 64 bytes");
        assertThat(actual.problem()).isEqualTo(Problem.PAYLOAD_TOO_LARGE);
        assertThat(actual).hasMessage("at most 64 bytes");
    }

    @Test
    void an_empty_body_is_absent_where_optional_and_refused_as_not_json_where_required() throws Exception {
        // given / when / then
        assertThat(bodies.read(request("", true), 64, "too large")).isEmpty();
        ProblemException required = catchThrowableOfType(ProblemException.class,
                () -> bodies.readRequired(request("", true), 64, "too large"));
        assertThat(required.problem()).isEqualTo(Problem.INVALID_REQUEST);
    }

    @Test
    void text_that_is_not_json_answers_400_without_naming_java_classes() {
        // given / when
        ProblemException refused = catchThrowableOfType(ProblemException.class,
                () -> bodies.read(request("{\"records\": [", true), 64, "too large"));

        // then
        assertThat(refused.problem()).isEqualTo(Problem.INVALID_REQUEST);
        assertThat(refused.getMessage()).doesNotContain("java.", "jackson", "Exception");
    }

    private static MockHttpServletRequest request(String body, boolean declareLength) {
        MockHttpServletRequest request = declareLength ? new MockHttpServletRequest("POST", "/x")
                : new MockHttpServletRequest("POST", "/x") {
                    @Override
                    public long getContentLengthLong() {
                        return -1; // chunked: the size is known only once read
                    }
                };
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }
}
