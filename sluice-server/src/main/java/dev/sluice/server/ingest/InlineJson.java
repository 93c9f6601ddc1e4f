package dev.sluice.server.ingest;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.problem.RequestSentences;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an inline batch body, {@code {"records": [...], ...}} or a bare {@code [...]}, as a stream of tokens:
 * never the whole body as objects, only one record at a time. {@link #scan} checks the body and gathers what
 * the CSV needs before anything is written (the columns: the union of the records' keys, in order of first
 * appearance); {@link #writeCsv} reads the body again and writes the CSV the loader reads. Each record is an
 * object (its keys become columns, values written as text) or a string (an email).
 */
final class InlineJson {

    /** Whether the body holds a records array: as the root, under {@code "records"}, or not at all. */
    enum Records { ROOT, PROPERTY, NOT_AN_ARRAY, ABSENT }

    /**
     * What {@link #scan} found. {@code attributes} are the root object's other properties (read only when asked
     * for); {@code invalid} says what is wrong with the first record that is neither an object nor a string.
     */
    record Scan(Records records, Map<String, Object> attributes, long count, List<String> columns, String invalid) {
    }

    private static final String RECORDS = "records";

    /** Values read one at a time from a parser that goes on: what follows them is not "trailing". */
    private static ObjectReader values(JsonMapper json) {
        return json.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private InlineJson() {
    }

    /**
     * Reads the whole body once.
     *
     * @throws ProblemException {@code invalid_request} when the body is not one valid JSON value
     */
    static Scan scan(JsonMapper json, InputStream body, boolean attributes) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw new ProblemException(Problem.INVALID_REQUEST, "the body is not valid JSON: it is empty");
            }
            Set<String> columns = new LinkedHashSet<>();
            Map<String, Object> others = new LinkedHashMap<>();
            long[] count = new long[1];
            String[] invalid = new String[1];
            Records records = Records.ABSENT;
            if (root == JsonToken.START_ARRAY) {
                records = Records.ROOT;
                scanRecords(json, parser, columns, count, invalid);
            } else if (root == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals(RECORDS) && (records == Records.ABSENT || records == Records.NOT_AN_ARRAY)
                            && value == JsonToken.START_ARRAY) {
                        records = Records.PROPERTY;
                        scanRecords(json, parser, columns, count, invalid);
                    } else if (name.equals(RECORDS) && records == Records.ABSENT) {
                        records = Records.NOT_AN_ARRAY;
                        parser.skipChildren();
                    } else if (attributes && !name.equals(RECORDS)) {
                        others.put(name, values(json).readValue(parser));
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new ProblemException(Problem.INVALID_REQUEST,
                        "the body is not valid JSON: more content after the end of the first value");
            }
            return new Scan(records, others, count[0], List.copyOf(columns), invalid[0]);
        } catch (JacksonException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, RequestSentences.body(e));
        }
    }

    /** From just inside the records array to its end. */
    private static void scanRecords(JsonMapper json, JsonParser parser, Set<String> columns, long[] count,
            String[] invalid) {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    columns.add(parser.currentName());
                    parser.nextToken();
                    parser.skipChildren();
                }
            } else if (token == JsonToken.VALUE_STRING) {
                columns.add("email");
            } else if (invalid[0] == null) {
                invalid[0] = "records[" + count[0] + "] must be an object or a string, was "
                        + describe(values(json).readValue(parser));
            } else {
                parser.skipChildren();
            }
            count[0]++;
        }
    }

    /**
     * Reads a body {@link #scan} accepted again and writes its records as CSV: a header of {@code columns},
     * then one row per record, a missing key as an empty cell. Holds one record at a time.
     */
    static void writeCsv(JsonMapper json, InputStream body, List<String> columns, OutputStream out)
            throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(writer);
        csv.writeRecord(columns);
        List<String> fields = new ArrayList<>(columns.size());
        ObjectReader values = values(json);
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    if (parser.nextToken() == JsonToken.START_ARRAY && name.equals(RECORDS)) {
                        break;
                    }
                    parser.skipChildren();
                }
            }
            while (parser.nextToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.VALUE_STRING) {
                Map<String, Object> row;
                if (parser.currentToken() == JsonToken.VALUE_STRING) {
                    row = Map.of("email", parser.getString());
                } else {
                    row = new LinkedHashMap<>();
                    Map<?, ?> object = (Map<?, ?>) values.readValue(parser);
                    for (Map.Entry<?, ?> entry : object.entrySet()) {
                        row.put(String.valueOf(entry.getKey()), entry.getValue());
                    }
                }
                fields.clear();
                for (String column : columns) {
                    Object value = row.get(column);
                    fields.add(value == null ? "" : String.valueOf(value));
                }
                csv.writeRecord(fields);
            }
        } catch (JacksonException e) {
            throw new IOException("the inline body changed between its two reads: " + e.getOriginalMessage(), e);
        }
        csv.flush();
    }

    static String describe(Object value) {
        return value == null ? "null" : value instanceof List<?> ? "an array" : value instanceof Number ? "a number"
                : value instanceof Boolean ? "true or false" : "a " + value.getClass().getSimpleName();
    }
}
