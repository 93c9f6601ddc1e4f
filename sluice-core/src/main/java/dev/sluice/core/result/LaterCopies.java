package dev.sluice.core.result;

import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of an address whose first copy is in an earlier chunk, finished at assembly. A chunk does not wait for
 * the chunk holding the first copy: {@link VerifyPass#run} writes such a copy's row without its verdict columns
 * and hands out the place they go ({@link Copy}). The assembly, reading the parts in order, has met every first
 * copy before its copies; it is told each first copy's final verdict ({@link #first}) and answers, per part, the
 * patches that insert the verdict columns ({@link #patches}, applied by {@link PartPatches}). The result is byte
 * for byte what a run knowing the verdict would have written. Memory: the rendered columns of each first copy
 * a later chunk repeats, about 100 bytes each. Not thread-safe.
 */
public final class LaterCopies {

    private final VerifyPass.VerdictColumns columns;
    private final Map<Long, First> firsts = new HashMap<>();
    /** One instance per distinct domain and provider, as many first copies share them. */
    private final Map<String, String> names = new HashMap<>();
    private final ResultReport.Tally report = new ResultReport.Tally();
    private long valid;
    private long invalid;
    private long acceptAll;
    private long unknown;

    /** @param pass the pass that wrote the parts: same format, columns and formula handling */
    public LaterCopies(VerifyPass pass) {
        this.columns = pass.verdictColumns();
    }

    /**
     * A copy written without its verdict: its {@code sluice_row}, its first copy's, and the byte of its part where
     * the verdict columns go.
     */
    public record Copy(long row, long firstRow, long at) {
    }

    /** What a copy takes from its first copy: the verdict columns, and what the report counts. */
    private record First(VerdictStatus status, Reason reason, String provider, String domain, byte[] columns) {
    }

    /**
     * The final verdict of the first copy in {@code row}, for its copies in later parts; {@code key} is the
     * address's {@link dev.sluice.core.verify.DuplicateKey}, whose domain every copy shares.
     */
    public void first(long row, String key, Verdict verdict) throws IOException {
        firsts.put(row, new First(verdict.status(), verdict.reason(), shared(verdict.provider()),
                shared(ResultReport.domain(verdict.normalized(), key)), columns.of(verdict)));
    }

    private String shared(String name) {
        return name == null ? null : names.computeIfAbsent(name, n -> n);
    }

    /**
     * The patches that give a part's {@code copies} their first copies' verdicts, counting each copy by the status
     * it takes. Every first copy must have been told.
     */
    public List<PartPatches.Patch> patches(List<Copy> copies) {
        List<PartPatches.Patch> patches = new ArrayList<>(copies.size());
        for (Copy copy : copies) {
            First first = firsts.get(copy.firstRow());
            if (first == null) {
                throw new IllegalStateException("row " + copy.row() + " copies row " + copy.firstRow()
                        + ", whose verdict the assembly was not given");
            }
            patches.add(new PartPatches.Patch(copy.at(), copy.at(), first.columns()));
            report.add(first.status().wire(), first.reason().code(), first.provider(), first.domain(), 1);
            switch (first.status()) {
                case VALID -> valid++;
                case INVALID -> invalid++;
                case ACCEPT_ALL -> acceptAll++;
                case UNKNOWN -> unknown++;
            }
        }
        return patches;
    }

    /** The copies {@link #patches} gave a verdict so far, counted for the result's report. */
    public ResultReport.Tally report() {
        return report;
    }

    /** The copies {@link #patches} gave a verdict so far, by the status they took (neither duplicates nor later). */
    public VerifyCounts copied() {
        return new VerifyCounts(valid + invalid + acceptAll + unknown, valid, invalid, acceptAll, unknown);
    }

    /** Writes a chunk's copies (binary, three numbers each); does not close {@code out}. */
    public static void write(List<Copy> copies, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        for (Copy copy : copies) {
            data.writeLong(copy.row());
            data.writeLong(copy.firstRow());
            data.writeLong(copy.at());
        }
        data.flush();
    }

    /** Reads copies {@link #write} wrote. */
    public static List<Copy> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        List<Copy> copies = new ArrayList<>();
        while (true) {
            long row;
            try {
                row = data.readLong();
            } catch (EOFException end) {
                return copies;
            }
            copies.add(new Copy(row, data.readLong(), data.readLong()));
        }
    }
}
