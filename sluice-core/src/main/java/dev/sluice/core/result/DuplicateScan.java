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
 * ({@link DuplicateIndex}): answers a {@link DuplicatePlan} per chunk. Memory: the index (16 bytes per distinct
 * address) and the plans (a map entry per duplicate row).
 */
public final class DuplicateScan {

    private DuplicateScan() {
    }

    /**
     * @param chunks     the chunk inputs ({@link ChunkReader} format) in order
     * @param keyColumn  the column holding the address
     */
    public static List<DuplicatePlan> scan(List<ResultAssembler.IOSupplier<InputStream>> chunks, int keyColumn)
            throws IOException {
        DuplicateIndex index = new DuplicateIndex();
        long[] starts = new long[chunks.size()];
        List<Map<Long, Long>> copies = new ArrayList<>(chunks.size());
        List<Set<Long>> kept = new ArrayList<>(chunks.size());
        List<Set<Integer>> waits = new ArrayList<>(chunks.size());
        long[] row = {0};
        for (int chunk = 0; chunk < chunks.size(); chunk++) {
            starts[chunk] = row[0] + 1;
            Map<Long, Long> chunkCopies = new HashMap<>();
            Set<Integer> chunkWaits = new HashSet<>();
            copies.add(chunkCopies);
            kept.add(new HashSet<>());
            waits.add(chunkWaits);
            int current = chunk;
            try (InputStream in = chunks.get(chunk).get()) {
                ChunkReader.read(in, fields -> {
                    long r = ++row[0];
                    long first = index.firstOf(r, keyColumn < fields.size() ? fields.get(keyColumn) : "");
                    if (first != 0) {
                        chunkCopies.put(r, first);
                        int owner = chunkOf(starts, current, first);
                        if (owner != current) {
                            chunkWaits.add(owner);
                            kept.get(owner).add(first);
                        }
                    }
                });
            }
        }
        List<DuplicatePlan> plans = new ArrayList<>(chunks.size());
        for (int chunk = 0; chunk < chunks.size(); chunk++) {
            plans.add(new DuplicatePlan(waits.get(chunk), copies.get(chunk), kept.get(chunk)));
        }
        return plans;
    }

    /** The chunk (at most {@code last}) whose rows start at or before {@code row}. */
    private static int chunkOf(long[] starts, int last, long row) {
        int found = Arrays.binarySearch(starts, 0, last + 1, row);
        return found >= 0 ? found : -found - 2;
    }
}
