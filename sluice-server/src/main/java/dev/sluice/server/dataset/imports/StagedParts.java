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
 * An import's parts ({@link ImportProcessor}'s format) as its completion reads them. Each pass,
 * {@link #forEachStaged}, hands the staged records to a bulk load and learns on the way the failed records, the
 * runs of staged ones and, when asked, whether two staged records may share a key. Not thread-safe.
 */
final class StagedParts {

    /** Consecutive record indexes, {@code first} to {@code last}. */
    record Run(long first, long last) {
    }

    private final List<PartSource> parts;
    private final Schema schema;
    private final long expected;
    private List<RecordOutcome> failures = List.of();
    private List<Run> staged = List.of();
    private Boolean mayRepeatKeys;

    /** {@code expected}: about the number of staged records. */
    StagedParts(List<PartSource> parts, Schema schema, long expected) {
        this.parts = parts;
        this.schema = schema;
        this.expected = expected;
    }

    /**
     * Reads every part once and hands each staged record, in file order, as its values in schema order (null for
     * null), preceded by its index when {@code withIndex}; learns the failures and runs anew, and with
     * {@code keys} whether two keys may repeat.
     */
    void forEachStaged(boolean withIndex, boolean keys, Consumer<List<String>> row) throws IOException {
        List<Column> keyColumns = schema.keyColumns();
        int[] keyAt = keyColumns.stream().mapToInt(k -> 2 + schema.columns().indexOf(k)).toArray();
        int columns = schema.columns().size();
        KeyRepeats repeats = keys ? new KeyRepeats(expected) : null;
        List<RecordOutcome> failed = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        long[] run = {-1, -2};
        StringBuilder key = new StringBuilder();
        for (PartSource source : parts) {
            try (InputStream in = source.open()) {
                ChunkReader.read(in, fields -> {
                    long index = Long.parseLong(fields.get(0));
                    if (!ImportProcessor.OK.equals(fields.get(1))) {
                        failed.add(new RecordOutcome(index, Outcome.FAILED, fields.size() > 2 ? fields.get(2) : null));
                        return;
                    }
                    if (index != run[1] + 1) {
                        if (run[0] >= 0) {
                            runs.add(new Run(run[0], run[1]));
                        }
                        run[0] = index;
                    }
                    run[1] = index;
                    if (repeats != null) {
                        repeats.add(keyText(fields, keyColumns, keyAt, key));
                    }
                    row.accept(values(fields, withIndex, columns));
                });
            }
        }
        if (run[0] >= 0) {
            runs.add(new Run(run[0], run[1]));
        }
        failures = failed;
        staged = runs;
        if (repeats != null) {
            mayRepeatKeys = repeats.mayRepeat();
        }
    }

    /**
     * The record's key as one text, its values joined by NUL. Key columns are required, so a staged record has
     * each. A NUL inside a value could only make two keys look alike, which costs the grouping, never a record.
     */
    private static String keyText(List<String> fields, List<Column> keyColumns, int[] keyAt, StringBuilder key) {
        key.setLength(0);
        for (int k = 0; k < keyAt.length; k++) {
            key.append(sameWhenEqual(keyColumns.get(k).type(), fields.get(keyAt[k]))).append('\0');
        }
        return key.toString();
    }

    /** A staged line's values in schema order, null for empty, after its index when {@code withIndex}. */
    private static List<String> values(List<String> fields, boolean withIndex, int columns) {
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
        return values;
    }

    /**
     * The text of a key value that is equal for two values whenever the database may find them equal: the canonical
     * text, except that decimals drop trailing zeros ({@code 1.50} and {@code 1.5} are one number on PostgreSQL).
     */
    private static String sameWhenEqual(ColumnType type, String canonical) {
        return type == ColumnType.DECIMAL ? new BigDecimal(canonical).stripTrailingZeros().toPlainString() : canonical;
    }

    /** The records that failed, each with its error, as the last whole pass found them. */
    List<RecordOutcome> failures() {
        return failures;
    }

    /** The staged records, as runs of consecutive indexes in file order, as the last whole pass found them. */
    List<Run> staged() {
        return staged;
    }

    /**
     * Whether two staged records may share a key (false when every key is different for certain), as the last whole
     * pass that looked at the keys found.
     *
     * @throws IllegalStateException when no whole pass looked at them
     */
    boolean mayRepeatKeys() {
        if (mayRepeatKeys == null) {
            throw new IllegalStateException("no pass over the parts has looked at the keys");
        }
        return mayRepeatKeys;
    }
}
