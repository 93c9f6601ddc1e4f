package dev.sluice.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample reads its records through the full pass's handler ({@link RecordCells}); what it answers must be what
 * FastCSV's own records hold, read with the same settings.
 */
class CsvSampleTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "email,name\nann@example.com,Ann\nbob@example.org,Bob\n",
            "email,name\r\n\"lee, ann\"@example.com,\"Lee, \"\"Ann\"\"\"\r\n,,\r\n\nbob@example.org\n",
            "email;name;city\nann@example.com; Ann ;\"Berlin\" \nbob@example.org;\"Bob\" Jr;x;extra\n",
            "a@example.com\n   \nb@example.com\n\t\n",
            "email,note\nann@example.com,\"two\nlines\"\nbob@example.org,\"cut",
            "",
    })
    void the_sample_holds_what_fastcsvs_records_hold(String text) {
        for (char delimiter : CsvSample.DELIMITERS) {
            for (boolean complete : new boolean[] {true, false}) {
                assertThat(CsvSample.records(text, delimiter, complete))
                        .as("delimiter %s, complete %s", delimiter, complete)
                        .isEqualTo(fastCsvRecords(text, delimiter, complete));
            }
        }
    }

    /** The sample as it was read before: FastCSV's records, blank ones left out, at most 50, the cut one dropped. */
    private static List<List<String>> fastCsvRecords(String text, char delimiter, boolean complete) {
        List<List<String>> records = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvSample.reader(new StringReader(text), delimiter, CsvRecordHandler.of())) {
            for (CsvRecord record : reader) {
                if (!record.getFields().stream().allMatch(String::isBlank)) {
                    records.add(record.getFields());
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            // the sample also ends where the parser gives up
        }
        if (!complete && !records.isEmpty()) {
            records.removeLast();
        }
        return records.size() > 50 ? records.subList(0, 50) : records;
    }
}
