package dev.sluice.server.compat.verification;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The seed's {@code <job_id>_verified.csv} from a native verify result: every input column and row, in
 * order, then {@value #STATUS_COLUMN} with the seed's verdict words ({@code valid}, {@code invalid},
 * {@code accept_all}, {@code unknown}). The native {@code sluice_*} columns are left out. Streams.
 */
final class VerifiedFile {

    /** The column holding the verdict; {@code status_2} when the input already has a {@code status} column. */
    static final String STATUS_COLUMN = "status";
    private static final String NATIVE_STATUS = "sluice_status";

    private VerifiedFile() {
    }

    /** Rewrites the native result CSV {@code in}, whose first {@code inputColumns} columns are the input's. */
    static void rewrite(InputStream in, int inputColumns, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(writer);
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = reader.iterator();
            if (!records.hasNext()) {
                throw new IOException("the native result has no header row");
            }
            List<String> header = records.next().getFields();
            int status = header.subList(inputColumns, header.size()).indexOf(NATIVE_STATUS);
            if (status < 0) {
                throw new IOException("the native result has no " + NATIVE_STATUS + " column: " + header);
            }
            status += inputColumns;
            List<String> columns = new ArrayList<>(header.subList(0, inputColumns));
            boolean taken = columns.stream().anyMatch(c -> c.strip().toLowerCase(Locale.ROOT).equals(STATUS_COLUMN));
            columns.add(taken ? STATUS_COLUMN + "_2" : STATUS_COLUMN);
            csv.writeRecord(columns);
            List<String> row = new ArrayList<>(columns.size());
            while (records.hasNext()) {
                List<String> fields = records.next().getFields();
                row.clear();
                for (int i = 0; i < inputColumns; i++) {
                    row.add(i < fields.size() ? fields.get(i) : "");
                }
                row.add(status < fields.size() ? fields.get(status) : "");
                csv.writeRecord(row);
            }
        }
        csv.flush();
    }
}
