package dev.sluice.server.door;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.problem.RequestSentences;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON body by hand, for endpoints whose limit is not {@code sluice.request.max-json-size} (inline
 * batches, the doors' own payloads): never more than the limit plus one byte into memory, a declared or
 * actual size over it refused with 413, and a body that is not JSON refused with 400 naming what is wrong
 * ({@link RequestSentences}). Refusals are {@link ProblemException}s, which each door speaks in its envelope.
 */
@Component
public class JsonBodies {

    private final JsonMapper json;

    public JsonBodies(JsonMapper json) {
        this.json = json;
    }

    /**
     * The parsed body (maps, lists, strings, numbers, booleans, or null for {@code null}), or empty when the
     * request has no body at all.
     *
     * @param max      the most bytes the body may have
     * @param tooLarge the sentence a larger body is refused with (413)
     */
    public Optional<Object> read(HttpServletRequest request, long max, String tooLarge) throws IOException {
        byte[] body = bytes(request, max, tooLarge);
        return body.length == 0 ? Optional.empty() : Optional.ofNullable(parse(body));
    }

    /** The parsed body (null for {@code null}); an empty body is refused like any other text that is not JSON. */
    public Object readRequired(HttpServletRequest request, long max, String tooLarge) throws IOException {
        return parse(bytes(request, max, tooLarge));
    }

    private static byte[] bytes(HttpServletRequest request, long max, String tooLarge) throws IOException {
        if (request.getContentLengthLong() > max) {
            throw new ProblemException(Problem.PAYLOAD_TOO_LARGE, tooLarge);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw new ProblemException(Problem.PAYLOAD_TOO_LARGE, tooLarge);
        }
        return body;
    }

    private Object parse(byte[] body) {
        try {
            return json.readValue(body, Object.class);
        } catch (JacksonException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, RequestSentences.body(e));
        }
    }
}
