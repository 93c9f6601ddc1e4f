package dev.sluice.server.problem;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Refusals of unreadable requests in the API's words: field names as the client wrote them and types as
 * JSON knows them ("an integer", "a list"), never Java class or method names. Shared by the native API and
 * the front doors, which wrap the sentence in their own envelopes.
 */
public final class RequestSentences {

    private RequestSentences() {
    }

    /**
     * Why the JSON body could not be read, from the most specific cause of the failure: a syntax error with
     * its line and column, a field of the wrong JSON type named by its path, or a body of the wrong shape.
     */
    public static String body(Throwable cause) {
        if (cause instanceof ProblemException problem) {
            return problem.getMessage();
        }
        if (cause instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            String expected = expected(mismatch.getTargetType());
            return path.isEmpty() ? "the body must be " + expected
                    : "'" + path + "' must be " + expected;
        }
        if (cause instanceof StreamReadException syntax) {
            if (syntax.getLocation() != null && syntax.getLocation().getLineNr() > 0) {
                return "the body is not valid JSON (line " + syntax.getLocation().getLineNr() + ", column "
                        + syntax.getLocation().getColumnNr() + ")";
            }
            return "the body is not valid JSON";
        }
        if (cause instanceof JacksonException json && !path(json).isEmpty()) {
            return "'" + path(json) + "' has a value this endpoint cannot take";
        }
        String message = cause == null ? null : cause.getMessage();
        if (message != null && message.startsWith("Required request body is missing")) {
            return "the request needs a JSON body";
        }
        return "the body could not be read as the JSON this endpoint takes";
    }

    /** "'limit' must be an integer": a query, path or header value that does not convert. */
    public static String parameter(String name, Class<?> type) {
        return "'" + name + "' must be " + expected(type);
    }

    /** The JSON type a Java type is read from, in words. */
    public static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || type == Object.class) {
            return type == Object.class ? "a JSON value" : "a JSON object";
        }
        return "a JSON object";
    }

    /** The JSON path of the failing value, e.g. {@code columns[2].name}. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
