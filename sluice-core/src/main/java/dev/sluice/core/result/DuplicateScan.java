package dev.sluice.core.result;

import dev.sluice.core.ingest.ChunkReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over a batch's chunk inputs, in row order, finding which rows repeat an earlier row's address
 * ({@link DuplicateIndex}), then a {@link DuplicatePlan} per chunk handed out in chunk order. Memory: the index
 * and 16 bytes per duplicate row (primitive arrays; a plan's maps are built one chunk at a time).
 */
public final class DuplicateScan {

    /** Receives the plans, in chunk order. */
    @FunctionalInterface
    public interface PlanSink {
        void accept(int chunk, DuplicatePlan plan) throws IOException;
    }

    private DuplicateScan() {
    }

    /**
     * @param chunks    the chunk inputs ({@link ChunkReader} format) in order
     * @param keyColumn the column holding the address
     */
    public static void scan(List<ResultAssembler.IOSupplier<InputStream>> chunks, int keyColumn, PlanSink sink)
            throws IOException {
        DuplicateIndex index = new DuplicateIndex();
        long[] starts = new long[chunks.size()];
        List<long[]> copies = new ArrayList<>(chunks.size());
        List<Set<Long>> kept = new ArrayList<>(chunks.size());
        long[] row = {0};
        for (int chunk = 0; chunk < chunks.size(); chunk++) {
            starts[chunk] = row[0] + 1;
            kept.add(new HashSet<>());
            // pairs: row, first row
            long[][] pairs = {new long[16]};
            int[] size = {0};
            int current = chunk;
            try (InputStream in = chunks.get(chunk).get()) {
                ChunkReader.read(in, fields -> {
                    long r = ++row[0];
                    long first = index.firstOf(r, keyColumn < fields.size() ? fields.get(keyColumn) : "");
                    if (first != 0) {
                        if (size[0] + 2 > pairs[0].length) {
                            pairs[0] = Arrays.copyOf(pairs[0], pairs[0].length * 2);
                        }
                        pairs[0][size[0]++] = r;
                        pairs[0][size[0]++] = first;
                        int owner = chunkOf(starts, current, first);
                        if (owner != current) {
                            kept.get(owner).add(first);
                        }
                    }
                });
            }
            copies.add(Arrays.copyOf(pairs[0], size[0]));
        }
        for (int chunk = 0; chunk < chunks.size(); chunk++) {
            long[] pairs = copies.get(chunk);
            Map<Long, Long> chunkCopies = new HashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                chunkCopies.put(pairs[i], pairs[i + 1]);
            }
            copies.set(chunk, null);
            sink.accept(chunk, new DuplicatePlan(chunkCopies, kept.get(chunk)));
        }
    }

    /** The chunk (at most {@code last}) whose rows start at or before {@code row}. */
    private static int chunkOf(long[] starts, int last, long row) {
        int found = Arrays.binarySearch(starts, 0, last + 1, row);
        return found >= 0 ? found : -found - 2;
    }
}
