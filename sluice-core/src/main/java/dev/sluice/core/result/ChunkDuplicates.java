package dev.sluice.core.result;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link VerifyPass} needs to verify each address of a chunk once across its batch. Rows are
 * {@code sluice_row} numbers (1-based over the batch).
 *
 * @param copies rows of this chunk that repeat an earlier row, to the first row holding the address
 * @param kept   rows of this chunk that later chunks repeat: their verdicts are handed out after the run, for the
 *               assembly to give those copies ({@link LaterCopies})
 */
public record ChunkDuplicates(Map<Long, Long> copies, Set<Long> kept) {

    /** A chunk without duplicates. */
    public static final ChunkDuplicates NONE = new ChunkDuplicates(Map.of(), Set.of());

    public ChunkDuplicates {
        copies = Map.copyOf(copies);
        kept = Set.copyOf(kept);
    }

    /** Writes first copies (the verdicts of a chunk's {@code kept} rows) as CSV; does not close {@code out}. */
    public static void writeFirstCopies(Map<Long, FirstCopy> firsts, OutputStream out) throws IOException {
        CsvWriter csv = VerifyPass.csvWriter(out);
        for (Map.Entry<Long, FirstCopy> entry : firsts.entrySet()) {
            Verdict v = entry.getValue().verdict();
            csv.writeRecord(Long.toString(entry.getKey()), entry.getValue().key(), v.status().name(), v.reason().name(),
                    v.normalized() == null ? "" : v.normalized(), Boolean.toString(v.role()),
                    Boolean.toString(v.disposable()), Boolean.toString(v.free()),
                    v.suggestion() == null ? "" : v.suggestion(), Boolean.toString(v.cached()),
                    v.provider() == null ? "" : v.provider());
        }
        csv.flush();
    }

    /** Reads first copies {@link #writeFirstCopies} wrote, adding them to {@code into}. */
    public static void readFirstCopies(InputStream in, Map<Long, FirstCopy> into) throws IOException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder()
                .ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (CsvRecord r : csv) {
                Verdict verdict = new Verdict(VerdictStatus.valueOf(r.getField(2)), Reason.valueOf(r.getField(3)),
                        r.getField(4).isEmpty() ? null : r.getField(4), Boolean.parseBoolean(r.getField(5)),
                        Boolean.parseBoolean(r.getField(6)), Boolean.parseBoolean(r.getField(7)),
                        r.getField(8).isEmpty() ? null : r.getField(8), Boolean.parseBoolean(r.getField(9)),
                        // files written before the provider was carried have ten fields
                        r.getFieldCount() < 11 || r.getField(10).isEmpty() ? null : r.getField(10));
                into.put(Long.parseLong(r.getField(0)), new FirstCopy(r.getField(1), verdict));
            }
        }
    }

    /**
     * The first copy of an address, as the assembly reads it.
     *
     * @param key     its {@link dev.sluice.core.verify.DuplicateKey}, compared before the verdict is copied
     * @param verdict the verdict every copy gets
     */
    public record FirstCopy(String key, Verdict verdict) {

        public FirstCopy {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(verdict, "verdict");
        }
    }
}
