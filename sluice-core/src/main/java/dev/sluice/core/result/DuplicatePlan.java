package dev.sluice.core.result;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The duplicates of one chunk as {@link DuplicateScan} found them over the whole batch, kept beside the chunk's
 * input until the batch completes. Stored binary: a zero byte, the number of copies, each copy's row and first
 * row, the number of kept rows, each kept row (rows in increasing order). Plans written by earlier versions are
 * text lines, still read: {@code c <row> <first row>} (a copy), {@code k <row>} (a first copy a later chunk
 * repeats), and {@code w <chunk>} (a chunk to wait for, from before copies of earlier chunks were left to the
 * assembly), which is ignored.
 *
 * @param copies rows of this chunk that repeat an earlier row, to that row
 * @param kept   rows of this chunk whose verdicts later chunks copy
 */
public record DuplicatePlan(Map<Long, Long> copies, Set<Long> kept) {

    /** The first byte of a binary plan; a text plan starts with a letter. */
    private static final int BINARY = 0;

    /** A chunk without duplicates. */
    public static final DuplicatePlan NONE = new DuplicatePlan(Map.of(), Set.of());

    public DuplicatePlan {
        copies = Map.copyOf(copies);
        kept = Set.copyOf(kept);
    }

    public boolean isEmpty() {
        return copies.isEmpty() && kept.isEmpty();
    }

    /** Writes the plan; does not close {@code out}. */
    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 14));
        data.writeByte(BINARY);
        long[] rows = sorted(copies.keySet());
        data.writeInt(rows.length);
        for (long row : rows) {
            data.writeLong(row);
            data.writeLong(copies.get(row));
        }
        long[] keptRows = sorted(kept);
        data.writeInt(keptRows.length);
        for (long row : keptRows) {
            data.writeLong(row);
        }
        data.flush();
    }

    private static long[] sorted(Set<Long> rows) {
        long[] sorted = new long[rows.size()];
        int i = 0;
        for (long row : rows) {
            sorted[i++] = row;
        }
        Arrays.sort(sorted);
        return sorted;
    }

    /** Reads a plan {@link #write} wrote, or a text plan of an earlier version. */
    public static DuplicatePlan read(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 14);
        buffered.mark(1);
        int first = buffered.read();
        if (first < 0) {
            return NONE;
        }
        if (first != BINARY) {
            buffered.reset();
            return readText(buffered);
        }
        DataInputStream data = new DataInputStream(buffered);
        int copyCount = data.readInt();
        Map<Long, Long> copies = HashMap.newHashMap(copyCount);
        for (int i = 0; i < copyCount; i++) {
            copies.put(data.readLong(), data.readLong());
        }
        int keptCount = data.readInt();
        Set<Long> kept = HashSet.newHashSet(keptCount);
        for (int i = 0; i < keptCount; i++) {
            kept.add(data.readLong());
        }
        return new DuplicatePlan(copies, kept);
    }

    private static DuplicatePlan readText(InputStream in) throws IOException {
        Map<Long, Long> copies = new HashMap<>();
        Set<Long> kept = new HashSet<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            List<String> parts = List.of(line.split(" "));
            switch (parts.get(0)) {
                case "w" -> {
                    // written by a version whose chunks waited for earlier ones
                }
                case "c" -> copies.put(Long.parseLong(parts.get(1)), Long.parseLong(parts.get(2)));
                case "k" -> kept.add(Long.parseLong(parts.get(1)));
                default -> throw new IOException("not a duplicate plan line: " + line);
            }
        }
        return new DuplicatePlan(copies, kept);
    }
}
