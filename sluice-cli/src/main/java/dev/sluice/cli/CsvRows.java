package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts the records of a CSV file without holding it in memory. */
final class CsvRows {

    private CsvRows() {
    }

    /**
     * Records after the header row. Line breaks inside quoted fields do not end a record; a last record
     * without a final line break still counts.
     */
    static long countRecords(Path file) throws IOException {
        long lines = 0;
        boolean inQuotes = false;
        boolean lineHasContent = false;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '"') {
                        inQuotes = !inQuotes; // an escaped "" toggles twice: no change
                        lineHasContent = true;
                    } else if (b == '\n' && !inQuotes) {
                        lines++;
                        lineHasContent = false;
                    } else if (b != '\r') {
                        lineHasContent = true;
                    }
                }
            }
        }
        if (lineHasContent) {
            lines++;
        }
        return Math.max(0, lines - 1);
    }
}
