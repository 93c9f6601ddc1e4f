package dev.sluice.core.result;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The duplicates of one chunk as {@link DuplicateScan} found them over the whole batch, kept beside the chunk's
 * input until the batch completes. Stored as text lines: {@code c <row> <first row>} (a copy), {@code k <row>} (a
 * first copy a later chunk repeats). Plans written before copies of earlier chunks were left to the assembly
 * also have {@code w <chunk>} lines (a chunk to wait for), which are read and ignored.
 *
 * @param copies rows of this chunk that repeat an earlier row, to that row
 * @param kept   rows of this chunk whose verdicts later chunks copy
 */
public record DuplicatePlan(Map<Long, Long> copies, Set<Long> kept) {

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
        Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
        for (Map.Entry<Long, Long> copy : new java.util.TreeMap<>(copies).entrySet()) {
            text.write("c " + copy.getKey() + " " + copy.getValue() + "\n");
        }
        for (long row : new TreeSet<>(kept)) {
            text.write("k " + row + "\n");
        }
        text.flush();
    }

    /** Reads a plan {@link #write} wrote. */
    public static DuplicatePlan read(InputStream in) throws IOException {
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
