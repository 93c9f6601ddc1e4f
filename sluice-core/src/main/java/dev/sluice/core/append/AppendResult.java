package dev.sluice.core.append;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.core.result.FormulaGuard;
import dev.sluice.core.result.ResultAssembler;
import dev.sluice.core.result.ResultFormat;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The result of an append: every input column (padded with empty cells to the header's width), then the
 * appended fields (empty when nothing matched), then {@code sluice_match}. Appended names are the dataset
 * column names; one that collides with an input column (ignoring case) is suffixed {@code _2},
 * {@code _3}..., so JSON keys stay unique. Parts are written so that {@link #assemble} only concatenates,
 * exactly like verify's: CSV rows without header each ending in LF, JSON objects separated by commas with no
 * brackets, NDJSON objects each ending in LF. CSV text cells and names go through {@link FormulaGuard}
 * unless formulas are kept raw.
 */
public final class AppendResult {

    /** The column holding the {@link MatchCode} of each record. */
    public static final String MATCH_COLUMN = "sluice_match";

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .rootValueSeparator((String) null)
            .build();

    private final ResultFormat format;
    private final List<String> inputColumns;
    private final List<String> header;
    private final boolean escapeFormulas;

    /**
     * @param inputColumns the input file's column names, in order
     * @param fields       the dataset columns appended, in order
     */
    public AppendResult(ResultFormat format, List<String> inputColumns, List<String> fields) {
        this(format, inputColumns, fields, true);
    }

    /**
     * @param escapeFormulas whether CSV text cells and header names go through {@link FormulaGuard} (JSON is
     *                       never changed); false keeps them exactly as read
     */
    public AppendResult(ResultFormat format, List<String> inputColumns, List<String> fields,
                        boolean escapeFormulas) {
        this.escapeFormulas = escapeFormulas;
        this.format = Objects.requireNonNull(format, "format");
        this.inputColumns = List.copyOf(inputColumns);
        this.header = header(this.inputColumns, List.copyOf(fields));
    }

    /** Input columns, appended field names (made unique), then the match column: the CSV header and JSON keys. */
    public List<String> header() {
        return header;
    }

    private static List<String> header(List<String> inputColumns, List<String> fields) {
        Set<String> used = new HashSet<>();
        List<String> header = new ArrayList<>(inputColumns.size() + fields.size() + 1);
        for (String column : inputColumns) {
            used.add(column.toLowerCase(Locale.ROOT));
            header.add(column);
        }
        List<String> appended = new ArrayList<>(fields);
        appended.add(MATCH_COLUMN);
        for (String base : appended) {
            String name = base;
            for (int k = 2; used.contains(name.toLowerCase(Locale.ROOT)); k++) {
                name = base + "_" + k;
            }
            used.add(name.toLowerCase(Locale.ROOT));
            header.add(name);
        }
        return List.copyOf(header);
    }

    /** A writer of one result part; {@link Part#finish} flushes without closing {@code out}. */
    public Part part(OutputStream out) {
        return format == ResultFormat.CSV ? new CsvPart(out) : new JsonPart(out, format == ResultFormat.NDJSON);
    }

    /**
     * Writes the whole result to {@code out}: for CSV the header row then the parts, for JSON and NDJSON
     * exactly what {@link ResultAssembler} does. {@code out} is flushed, not closed.
     */
    public void assemble(List<ResultAssembler.IOSupplier<java.io.InputStream>> parts, OutputStream out)
            throws IOException {
        if (format == ResultFormat.CSV) {
            CsvWriter csv = csvWriter(out);
            csv.writeRecord(escapeFormulas ? header.stream().map(FormulaGuard::neutralise).toList() : header);
            csv.flush();
            for (ResultAssembler.IOSupplier<java.io.InputStream> supplier : parts) {
                try (java.io.InputStream part = supplier.get()) {
                    part.transferTo(out);
                }
            }
            out.flush();
        } else {
            ResultAssembler.assemble(format, inputColumns, parts, out);
        }
    }

    /** Writes the rows of one part. */
    public interface Part {

        /**
         * One output row: {@code input} (the record's cells, padded or cut to the input columns),
         * {@code appended} (one value per field, {@code null} or empty when unmatched) and the match code.
         */
        void row(List<String> input, List<String> appended, MatchCode code) throws IOException;

        void finish() throws IOException;
    }

    private final class CsvPart implements Part {

        private final CsvWriter csv;

        CsvPart(OutputStream out) {
            this.csv = csvWriter(out);
        }

        @Override
        public void row(List<String> input, List<String> appended, MatchCode code) throws IOException {
            try {
                CsvWriter.CsvWriterRecord record = csv.writeRecord();
                for (int i = 0; i < inputColumns.size(); i++) {
                    record.writeField(i < input.size() ? cell(input.get(i)) : "");
                }
                for (String value : appended) {
                    record.writeField(value == null ? "" : cell(value));
                }
                record.writeField(code.wire()).endRecord();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        private String cell(String text) {
            return escapeFormulas ? FormulaGuard.neutralise(text) : text;
        }

        @Override
        public void finish() throws IOException {
            csv.flush();
        }
    }

    private final class JsonPart implements Part {

        private final JsonGenerator json;
        private final boolean lines;
        private final SerializableString[] names;
        private boolean first = true;

        JsonPart(OutputStream out, boolean lines) {
            this.json = JSON.createGenerator(ObjectWriteContext.empty(), out);
            this.lines = lines;
            this.names = header.stream().map(SerializedString::new).toArray(SerializableString[]::new);
        }

        @Override
        public void row(List<String> input, List<String> appended, MatchCode code) throws IOException {
            try {
                if (!lines && !first) {
                    json.writeRaw(',');
                }
                first = false;
                json.writeStartObject();
                int name = 0;
                for (int i = 0; i < inputColumns.size(); i++) {
                    json.writeName(names[name++]);
                    json.writeString(i < input.size() ? input.get(i) : "");
                }
                for (String value : appended) {
                    json.writeName(names[name++]);
                    json.writeString(value == null ? "" : value);
                }
                json.writeName(names[name]);
                json.writeString(code.wire());
                json.writeEndObject();
                if (lines) {
                    json.writeRaw('\n');
                }
            } catch (JacksonIOException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void finish() throws IOException {
            try {
                json.close();
            } catch (JacksonIOException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
    }

    private static CsvWriter csvWriter(OutputStream out) {
        return CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out, StandardCharsets.UTF_8);
    }
}
