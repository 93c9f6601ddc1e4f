package dev.sluice.core.export;

import dev.sluice.core.result.FormulaGuard;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** RFC 4180 CSV with formula neutralisation; see {@link ExportWriter}. */
final class CsvExportWriter extends ExportWriter {

    private static final String CRLF = "\r\n";

    private final Writer out;

    CsvExportWriter(List<String> columns, OutputStream out) throws IOException {
        super(columns);
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        writeLine(columns);
    }

    @Override
    void writeRecord(List<?> values) throws IOException {
        writeLine(values);
    }

    private void writeLine(List<?> values) throws IOException {
        if (values.size() == 1) {
            String only = ExportValues.text(values.get(0));
            if (only == null || only.isEmpty()) {
                // a blank line is no record to most readers: an empty single field is written quoted
                out.write("\"\"" + CRLF);
                return;
            }
        }
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Object value = values.get(i);
            String text = ExportValues.text(value);
            if (text != null) {
                writeField(ExportValues.isText(value) ? neutralise(text) : text);
            }
        }
        out.write(CRLF);
    }

    /** Prefixes {@code '} to text a spreadsheet would evaluate as a formula ({@link FormulaGuard}). */
    static String neutralise(String text) {
        return FormulaGuard.neutralise(text);
    }

    private void writeField(String text) throws IOException {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.write(text);
            return;
        }
        out.write('"');
        out.write(text.replace("\"", "\"\""));
        out.write('"');
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
