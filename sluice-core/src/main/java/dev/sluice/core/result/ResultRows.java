package dev.sluice.core.result;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.writer.CsvWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a finished result file (as {@link ResultAssembler} wrote it) row by row, cells found by column name,
 * and writes chosen rows back in the same format and bytes. Reading by name, not position, keeps readers
 * working when later stages add columns. One row is held at a time, so a result of millions of rows streams.
 */
public final class ResultRows {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .rootValueSeparator((String) null)
            .build();

    private ResultRows() {
    }

    /** One row of a result: its cells by column name. Valid only during the callback that got it. */
    public interface Row {

        /** The cell of {@code column} as text ({@code true}/{@code false} for JSON booleans), null when absent. */
        String get(String column);
    }

    /** Called once with the column names (CSV: the header; JSON: the first object's keys), then once per row. */
    public interface Visitor {

        /** The result's columns, before the first row; for an empty JSON result, an empty list. */
        default void columns(List<String> columns) throws IOException {
        }

        void row(Row row) throws IOException;
    }

    /** Reads {@code result} in {@code format}, calling {@code visitor} for the columns and each row in order. */
    public static void read(ResultFormat format, InputStream result, Visitor visitor) throws IOException {
        Objects.requireNonNull(format, "format");
        try {
            switch (format) {
                case CSV -> readCsv(result, visitor, null);
                case JSON, NDJSON -> readJson(result, visitor, null);
                default -> throw new IllegalArgumentException(format.wire() + " results are not row files");
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (JacksonIOException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Copies {@code result} to {@code out}, keeping only the rows {@code keep} accepts, in order: the CSV header
     * and quoting, the JSON array or NDJSON lines as in a full result. {@code keep} sees the columns first and
     * may refuse the whole file there by throwing. {@code result} may be closed by reading; {@code out} is flushed,
     * not closed. Answers the number of rows kept.
     */
    public static long copy(ResultFormat format, InputStream result, OutputStream out, Keep keep) throws IOException {
        long[] kept = {0};
        Keep counted = new Keep() {
            @Override
            public void columns(List<String> columns) throws IOException {
                keep.columns(columns);
            }

            @Override
            public boolean keeps(Row row) {
                boolean keeps = keep.keeps(row);
                if (keeps) {
                    kept[0]++;
                }
                return keeps;
            }
        };
        try {
            switch (format) {
                case CSV -> {
                    CsvWriter csv = VerifyPass.csvWriter(out);
                    readCsv(result, counted, csv);
                    csv.flush();
                }
                case JSON, NDJSON -> {
                    JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out);
                    boolean array = format == ResultFormat.JSON;
                    if (array) {
                        json.writeRaw('[');
                    }
                    readJson(result, counted, new JsonCopy(json, array));
                    if (array) {
                        json.writeRaw("]\n");
                    }
                    json.close();
                }
                default -> throw new IllegalArgumentException(format.wire() + " results are not row files");
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (JacksonIOException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        out.flush();
        return kept[0];
    }

    /** Which rows {@link #copy} keeps. */
    public interface Keep extends Visitor {

        boolean keeps(Row row);

        @Override
        default void row(Row row) {
        }
    }

    private static void readCsv(InputStream in, Visitor visitor, CsvWriter copy) throws IOException {
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(in, StandardCharsets.UTF_8)) {
            Map<String, Integer> index = null;
            for (CsvRecord record : reader) {
                List<String> fields = record.getFields();
                if (index == null) {
                    index = new HashMap<>();
                    for (int i = 0; i < fields.size(); i++) {
                        index.putIfAbsent(fields.get(i), i);
                    }
                    visitor.columns(List.copyOf(fields));
                    if (copy != null) {
                        copy.writeRecord(fields);
                    }
                    continue;
                }
                Map<String, Integer> names = index;
                Row row = column -> {
                    Integer at = names.get(column);
                    return at == null || at >= fields.size() ? null : fields.get(at);
                };
                visitor.row(row);
                if (copy != null && ((Keep) visitor).keeps(row)) {
                    copy.writeRecord(fields);
                }
            }
        }
    }

    private static void readJson(InputStream in, Visitor visitor, JsonCopy copy) throws IOException {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), in)) {
            JsonObject object = new JsonObject();
            boolean first = true;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_ARRAY || token == JsonToken.END_ARRAY) {
                    continue;
                }
                if (token != JsonToken.START_OBJECT) {
                    throw new IOException("a result row must be a JSON object, found " + token);
                }
                object.read(parser);
                if (first) {
                    visitor.columns(List.copyOf(object.names));
                    first = false;
                }
                visitor.row(object);
                if (copy != null && ((Keep) visitor).keeps(object)) {
                    copy.write(object);
                }
            }
            if (first) {
                visitor.columns(List.of());
            }
        }
    }

    /** A flat JSON object of scalar cells, reused from row to row. */
    private static final class JsonObject implements Row {

        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        final List<JsonToken> kinds = new ArrayList<>();

        void read(JsonParser parser) {
            names.clear();
            values.clear();
            kinds.clear();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                names.add(parser.currentName());
                JsonToken value = parser.nextToken();
                if (value.isStructStart()) {
                    throw new UncheckedIOException(new IOException(
                            "a result cell must be a JSON scalar; column " + names.getLast() + " is not"));
                }
                kinds.add(value);
                values.add(value == JsonToken.VALUE_NULL ? null : parser.getString());
            }
        }

        @Override
        public String get(String column) {
            int at = names.indexOf(column);
            return at < 0 ? null : values.get(at);
        }
    }

    /** Writes kept JSON objects back with the generator the result was written with. */
    private static final class JsonCopy {

        private final JsonGenerator json;
        private final boolean array;
        private boolean first = true;

        JsonCopy(JsonGenerator json, boolean array) {
            this.json = json;
            this.array = array;
        }

        void write(JsonObject object) {
            if (array && !first) {
                json.writeRaw(',');
            }
            first = false;
            json.writeStartObject();
            for (int i = 0; i < object.names.size(); i++) {
                json.writeName(object.names.get(i));
                String value = object.values.get(i);
                switch (object.kinds.get(i)) {
                    case VALUE_STRING -> json.writeString(value);
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.writeNumber(value);
                    case VALUE_TRUE, VALUE_FALSE -> json.writeBoolean(Boolean.parseBoolean(value));
                    default -> json.writeNull();
                }
            }
            json.writeEndObject();
            if (!array) {
                json.writeRaw('\n');
            }
        }
    }
}
