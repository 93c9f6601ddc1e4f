package dev.sluice.core.export;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/** A JSON array of objects, or NDJSON; see {@link ExportWriter}. */
final class JsonExportWriter extends ExportWriter {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            // Separators between objects are written explicitly, per format.
            .rootValueSeparator((String) null)
            .build();

    private final JsonGenerator json;
    private final boolean lines;
    private final SerializedString[] names;
    private boolean first = true;

    JsonExportWriter(List<String> columns, OutputStream out, boolean lines) throws IOException {
        super(columns);
        this.json = JSON.createGenerator(ObjectWriteContext.empty(), out);
        this.lines = lines;
        this.names = columns.stream().map(SerializedString::new).toArray(SerializedString[]::new);
        if (!lines) {
            run(() -> json.writeRaw('['));
        }
    }

    @Override
    void writeRecord(List<?> values) throws IOException {
        run(() -> {
            if (!lines && !first) {
                json.writeRaw(',');
            }
            first = false;
            json.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                json.writeName(names[i]);
                writeValue(values.get(i));
            }
            json.writeEndObject();
            if (lines) {
                json.writeRaw('\n');
            }
        });
    }

    private void writeValue(Object value) {
        switch (value) {
            case null -> json.writeNull();
            case Boolean b -> json.writeBoolean(b);
            case Long l -> json.writeNumber(l);
            case Integer n -> json.writeNumber(n);
            case BigDecimal d -> json.writeNumber(d);
            case Number n -> json.writeNumber(ExportValues.text(n));
            default -> json.writeString(ExportValues.text(value));
        }
    }

    @Override
    public void finish() throws IOException {
        run(() -> {
            if (!lines) {
                json.writeRaw(']');
            }
            json.flush();
        });
    }

    private static void run(Step step) throws IOException {
        try {
            step.run();
        } catch (JacksonIOException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }
}
