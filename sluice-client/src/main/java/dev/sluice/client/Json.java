package dev.sluice.client;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapping of the native API: snake_case, ISO-8601 instants, tolerant of what it does not know. */
final class Json {

    /**
     * Unknown fields and enum words are ignored (a newer server may send more than this client knows);
     * missing or null numbers read as zero.
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .build();

    private static final int MAX_DETAIL_CHARS = 300;

    private Json() {
    }

    /**
     * The problem detail of an error answer. Answers that are not problem JSON (a proxy's HTML page, an
     * empty body) still give a problem with the status and the start of the body as detail.
     */
    static Problem problem(int status, String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            try {
                Problem p = MAPPER.readValue(text, Problem.class);
                return new Problem(p.type(), p.title() != null ? p.title() : reasonPhrase(status),
                        p.status() != 0 ? p.status() : status, p.detail(), p.code());
            } catch (JacksonException notProblemJson) {
                // fall through: report the raw body
            }
        }
        String detail = text.isEmpty() ? null
                : text.length() > MAX_DETAIL_CHARS ? text.substring(0, MAX_DETAIL_CHARS) + "..." : text;
        return new Problem("about:blank", reasonPhrase(status), status, detail, null);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
