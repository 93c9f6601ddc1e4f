package dev.sluice.server.dataset.imports;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.core.dataset.Schema;
import dev.sluice.core.ingest.ChunkReader;
import dev.sluice.core.result.KeyRepeats;
import dev.sluice.server.job.ChunkProcessor.PartSource;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An import's parts ({@link ImportProcessor}'s format) as its completion reads them. One pass, {@link #scan},
 * learns the failed records, the runs of staged ones and whether two staged records may share a key; then
 * {@link #forEachStaged} hands the staged rows to a bulk load, as often as asked.
 */
final class StagedParts {

    /** Consecutive record indexes, {@code first} to {@code last}. */
    record Run(long first, long last) {
    }

    private final List<PartSource> parts;
    private final int columns;
    private final List<RecordOutcome> failures;
    private final List<Run> staged;
    private final boolean mayRepeatKeys;

    private StagedParts(List<PartSource> parts, int columns, List<RecordOutcome> failures, List<Run> staged,
            boolean mayRepeatKeys) {
        this.parts = parts;
        this.columns = columns;
        this.failures = failures;
        this.staged = staged;
        this.mayRepeatKeys = mayRepeatKeys;
    }

    /** Reads every part once; {@code expected} is about the number of staged records. */
    static StagedParts scan(List<PartSource> parts, Schema schema, long expected) throws IOException {
        List<Column> keyColumns = schema.keyColumns();
        int[] keyAt = keyColumns.stream().mapToInt(k -> 2 + schema.columns().indexOf(k)).toArray();
        KeyRepeats keys = new KeyRepeats(expected);
        List<RecordOutcome> failures = new ArrayList<>();
        List<Run> staged = new ArrayList<>();
        long[] run = {-1, -2};
        StringBuilder key = new StringBuilder();
        forEachLine(parts, fields -> {
            long index = Long.parseLong(fields.get(0));
            if (!ImportProcessor.OK.equals(fields.get(1))) {
                failures.add(new RecordOutcome(index, Outcome.FAILED, fields.size() > 2 ? fields.get(2) : null));
                return;
            }
            if (index != run[1] + 1) {
                if (run[0] >= 0) {
                    staged.add(new Run(run[0], run[1]));
                }
                run[0] = index;
            }
            run[1] = index;
            key.setLength(0);
            for (int k = 0; k < keyAt.length; k++) {
                // key columns are required, so every staged record has each; NUL cannot occur in a value
                key.append(sameWhenEqual(keyColumns.get(k).type(), fields.get(keyAt[k]))).append('\0');
            }
            keys.add(key.toString());
        });
        if (run[0] >= 0) {
            staged.add(new Run(run[0], run[1]));
        }
        return new StagedParts(parts, schema.columns().size(), failures, staged, keys.mayRepeat());
    }

    /**
     * The text of a key value that is equal for two values whenever the database may find them equal: the canonical
     * text, except that decimals drop trailing zeros ({@code 1.50} and {@code 1.5} are one number on PostgreSQL).
     */
    private static String sameWhenEqual(ColumnType type, String canonical) {
        return type == ColumnType.DECIMAL ? new BigDecimal(canonical).stripTrailingZeros().toPlainString() : canonical;
    }

    /** The records that failed, each with its error. */
    List<RecordOutcome> failures() {
        return failures;
    }

    /** The staged records, as runs of consecutive indexes in file order. */
    List<Run> staged() {
        return staged;
    }

    /** Whether two staged records may share a key; false when every key is different for certain. */
    boolean mayRepeatKeys() {
        return mayRepeatKeys;
    }

    /**
     * Hands each staged record, in file order, as its values in schema order (null for null), preceded by its
     * index when {@code withIndex}.
     */
    void forEachStaged(boolean withIndex, Consumer<List<String>> row) throws IOException {
        forEachLine(parts, fields -> {
            if (!ImportProcessor.OK.equals(fields.get(1))) {
                return;
            }
            List<String> values = new ArrayList<>(columns + 1);
            if (withIndex) {
                values.add(fields.get(0));
            }
            for (int i = 2; i < fields.size(); i++) {
                String value = fields.get(i);
                values.add(value.isEmpty() ? null : value);
            }
            while (values.size() < columns + (withIndex ? 1 : 0)) {
                values.add(null);
            }
            row.accept(values);
        });
    }

    private static void forEachLine(List<PartSource> parts, Consumer<List<String>> line) throws IOException {
        for (PartSource source : parts) {
            try (InputStream in = source.open()) {
                ChunkReader.read(in, line);
            }
        }
    }
}
