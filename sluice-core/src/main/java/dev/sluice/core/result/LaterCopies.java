package dev.sluice.core.result;

import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of an address whose first copy is in an earlier chunk, finished at assembly. A chunk does not wait for
 * the chunk holding the first copy: {@link VerifyPass#run} writes such a copy's row without its verdict columns
 * and hands out the place they go ({@link Copy}). The assembly, reading the parts in order, has met every first
 * copy before its copies; it is told each first copy's final verdict ({@link #first}) and answers, per part, the
 * patches that insert the verdict columns ({@link #patches}, applied by {@link PartPatches}). The result is byte
 * for byte what a run knowing the verdict would have written. Not thread-safe.
 *
 * <p>Memory: the rendered columns of each first copy a later chunk repeats, with 15 bytes of what the report
 * counts, about 100 bytes each, in pages of {@value #PAGE} bytes, found by row through an open-addressing table
 * of ints. They live through the whole assembly, so they are promoted to the old generation; as a few large
 * arrays instead of four objects per first copy (a boxed row, a map entry, a record and its byte array), they
 * take a third less and young collections copy them as whole arrays, not a million small objects, which paused
 * the server 16 to 23 ms at a time on a million-row list. Once garbage, they would still fill the old generation
 * towards a full collection, so a {@link #release released} assembly leaves its pages and table, up to
 * {@value #SPARE_BYTES} bytes, to the next one made in this JVM (as {@link DuplicateIndex} does its tables),
 * held softly, so that the collector drops them when the heap runs short.
 */
public final class LaterCopies {

    /** Bytes of an arena page; a first copy's entry never spans two (one larger than a page gets its own). */
    static final int PAGE = 1 << 20;
    private static final int PAGE_BITS = 20;
    /** Pages an entry's place can name: 2,048 of 1 MB, 2 GB of entries. */
    private static final int MAX_PAGES = 1 << (Integer.SIZE - 1 - PAGE_BITS);
    /** An entry: status (1 byte), reason (2), provider and domain name ids (4 each), length of the columns (4). */
    private static final int HEADER = 15;
    /** Rows looked up (or put in) at a time, their slots read first: see {@link #putTold}. */
    private static final int BATCH = 32;
    /** The most bytes of pages and table kept for the next assembly: 32 MB, about 250,000 first copies' worth. */
    static final long SPARE_BYTES = 32L << 20;
    /** Pages and table a released assembly left, not yet taken by a new one; the collector may drop them. */
    private static final SpareArrays<Spare> SPARE = new SpareArrays<>();
    private static final VerdictStatus[] STATUSES = VerdictStatus.values();
    private static final Reason[] REASONS = Reason.values();

    private final VerifyPass.VerdictColumns columns;
    private final List<byte[]> pages = new ArrayList<>();
    /** Pages of {@value #PAGE} bytes a released assembly left, used before new ones are made. */
    private final Deque<byte[]> freePages;
    private int pageUsed = PAGE;
    /** Row and entry place pairs, open addressing; a row of 0 marks a free slot. */
    private int[] slots;
    private int size;
    /** First copies told and not yet in the table: rows and places, {@link #BATCH} at most. */
    private final int[] toldRows = new int[BATCH];
    private final int[] toldPlaces = new int[BATCH];
    private int told;
    /** What the reads that bring slots and entries into the cache added up, kept so they are not left out. */
    private int touched;
    private boolean released;
    /** Provider and domain names by id (0: none), as many first copies share them. */
    private final List<String> names = new ArrayList<>(List.of(""));
    private final Map<String, Integer> nameIds = new HashMap<>();
    private final ResultReport.Tally report = new ResultReport.Tally();
    private long valid;
    private long invalid;
    private long acceptAll;
    private long unknown;

    /** @param pass the pass that wrote the parts: same format, columns and formula handling */
    public LaterCopies(VerifyPass pass) {
        this.columns = pass.verdictColumns();
        Spare spare = SPARE.take();
        if (spare == null) {
            freePages = new ArrayDeque<>();
            slots = new int[2 * 1024];
        } else {
            freePages = new ArrayDeque<>(spare.pages());
            slots = spare.slots();
            Arrays.fill(slots, 0);
        }
    }

    /** What a released assembly leaves to the next: whole pages, and the table. */
    private record Spare(List<byte[]> pages, int[] slots) {
    }

    /**
     * Ends this assembly, once every part its patches apply to is read (the patches share its pages): its pages
     * and table go to the next one made, as far as {@value #SPARE_BYTES} bytes go. Later calls of {@link #first}
     * and {@link #patches} throw; a second release does nothing.
     */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        long bytes = (long) slots.length * Integer.BYTES;
        if (bytes > SPARE_BYTES) {
            return;
        }
        List<byte[]> kept = new ArrayList<>();
        for (Collection<byte[]> from : List.of(pages, freePages)) {
            for (byte[] page : from) {
                // a page of its own, larger than the others, is not kept
                if (page.length == PAGE && bytes + PAGE <= SPARE_BYTES) {
                    kept.add(page);
                    bytes += PAGE;
                }
            }
        }
        SPARE.keep(new Spare(kept, slots));
        pages.clear();
        freePages.clear();
    }

    private void requireOpen() {
        if (released) {
            throw new IllegalStateException("these later copies were released at the end of their assembly");
        }
    }

    /**
     * A copy written without its verdict: its {@code sluice_row}, its first copy's, and the byte of its part where
     * the verdict columns go.
     */
    public record Copy(long row, long firstRow, long at) {
    }

    /**
     * The final verdict of the first copy in {@code row}, for its copies in later parts; {@code key} is the
     * address's {@link dev.sluice.core.verify.DuplicateKey}, whose domain every copy shares. Told again, the
     * later verdict counts.
     */
    public void first(long row, String key, Verdict verdict) throws IOException {
        if (row < 1 || row > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("first copies are rows 1 to " + Integer.MAX_VALUE + ": " + row);
        }
        requireOpen();
        byte[] rendered = columns.of(verdict);
        int place = append(verdict, nameId(verdict.provider()),
                nameId(ResultReport.domain(verdict.normalized(), key)), rendered);
        // put in the table a few at a time (see BATCH); patches puts in those held before it looks any up
        toldRows[told] = (int) row;
        toldPlaces[told] = place;
        if (++told == BATCH) {
            putTold();
        }
    }

    /**
     * Puts the first copies told since the last time into the table, in the order told (so a row told twice keeps
     * the later place): every one's slot is read before any is put in, so that in a table larger than the caches
     * their misses overlap instead of coming one after the other.
     */
    private void putTold() {
        if ((size + told) * 2 > slots.length / 2) {
            grow(size + told);
        }
        touch(toldRows, told);
        for (int i = 0; i < told; i++) {
            int slot = slotOf(toldRows[i]);
            if (slots[slot] == 0) {
                size++;
            }
            slots[slot] = toldRows[i];
            slots[slot + 1] = toldPlaces[i];
        }
        told = 0;
    }

    /** Reads the home slot of each of the first {@code count} rows, which brings it into the cache. */
    private void touch(int[] rows, int count) {
        int mask = slots.length / 2 - 1;
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += slots[(mix(rows[i]) & mask) * 2];
        }
        touched += sum;
    }

    /**
     * The patches that give a part's {@code copies} their first copies' verdicts, counting each copy by the status
     * it takes. Every first copy must have been told.
     */
    public List<PartPatches.Patch> patches(List<Copy> copies) {
        requireOpen();
        putTold();
        List<PartPatches.Patch> patches = new ArrayList<>(copies.size());
        int[] rows = new int[BATCH];
        int[] places = new int[BATCH];
        // a few copies at a time: their slots read, then their entries' first bytes, then each copy patched in
        // order; the reads of each round do not wait for one another, so their cache misses overlap
        for (int from = 0; from < copies.size(); from += BATCH) {
            int count = Math.min(BATCH, copies.size() - from);
            for (int i = 0; i < count; i++) {
                Copy copy = copies.get(from + i);
                if (copy.firstRow() < 1 || copy.firstRow() > Integer.MAX_VALUE) {
                    throw notTold(copy);
                }
                rows[i] = (int) copy.firstRow();
            }
            touch(rows, count);
            int sum = 0;
            for (int i = 0; i < count; i++) {
                int slot = slotOf(rows[i]);
                if (slots[slot] == 0) {
                    throw notTold(copies.get(from + i));
                }
                places[i] = slots[slot + 1];
                sum += pages.get(places[i] >>> PAGE_BITS)[places[i] & (PAGE - 1)];
            }
            touched += sum;
            for (int i = 0; i < count; i++) {
                Copy copy = copies.get(from + i);
                int place = places[i];
                byte[] page = pages.get(place >>> PAGE_BITS);
                int at = place & (PAGE - 1);
                VerdictStatus status = STATUSES[page[at]];
                Reason reason = REASONS[(page[at + 1] & 0xff) << 8 | page[at + 2] & 0xff];
                String provider = nameOf(intAt(page, at + 3));
                String domain = nameOf(intAt(page, at + 7));
                int length = intAt(page, at + 11);
                patches.add(new PartPatches.Patch(copy.at(), copy.at(), page, at + HEADER, length));
                report.add(status.wire(), reason.code(), provider, domain, 1);
                switch (status) {
                    case VALID -> valid++;
                    case INVALID -> invalid++;
                    case ACCEPT_ALL -> acceptAll++;
                    case UNKNOWN -> unknown++;
                }
            }
        }
        return patches;
    }

    private static IllegalStateException notTold(Copy copy) {
        return new IllegalStateException("row " + copy.row() + " copies row " + copy.firstRow()
                + ", whose verdict the assembly was not given");
    }

    /** Writes an entry where it fits and answers its place: page index and offset in one int. */
    private int append(Verdict verdict, int provider, int domain, byte[] rendered) {
        int length = HEADER + rendered.length;
        if (pageUsed + length > PAGE || pages.isEmpty()) {
            if (pages.size() == MAX_PAGES) {
                throw new IllegalStateException("the first copies of this batch take more than "
                        + (long) MAX_PAGES * PAGE + " bytes");
            }
            // an entry larger than a page (a very long row in a JSON result) gets a page of its own
            pages.add(length > PAGE ? new byte[length] : freePages.isEmpty() ? new byte[PAGE] : freePages.pop());
            pageUsed = 0;
        }
        byte[] page = pages.get(pages.size() - 1);
        int at = pageUsed;
        page[at] = (byte) verdict.status().ordinal();
        int reason = verdict.reason().ordinal();
        page[at + 1] = (byte) (reason >>> 8);
        page[at + 2] = (byte) reason;
        putInt(page, at + 3, provider);
        putInt(page, at + 7, domain);
        putInt(page, at + 11, rendered.length);
        System.arraycopy(rendered, 0, page, at + HEADER, rendered.length);
        // a page of its own is full: the next entry starts a new one
        pageUsed = length > PAGE ? PAGE : at + length;
        return (pages.size() - 1) << PAGE_BITS | at;
    }

    /** The slot holding {@code row}, or the free slot where it goes. */
    private int slotOf(int row) {
        int mask = slots.length / 2 - 1;
        for (int slot = mix(row) & mask; ; slot = (slot + 1) & mask) {
            int held = slots[slot * 2];
            if (held == row || held == 0) {
                return slot * 2;
            }
        }
    }

    /** Doubles the table until {@code entries} take at most a quarter of its slots. */
    private void grow(int entries) {
        int length = slots.length;
        while (entries * 2 > length / 2) {
            length *= 2;
        }
        int[] old = slots;
        slots = new int[length];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                int slot = slotOf(old[i]);
                slots[slot] = old[i];
                slots[slot + 1] = old[i + 1];
            }
        }
    }

    /** Rows come in runs of consecutive numbers: spread them over the table (Murmur3's 32-bit finaliser). */
    private static int mix(int row) {
        int h = row;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private int nameId(String name) {
        if (name == null) {
            return 0;
        }
        return nameIds.computeIfAbsent(name, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    private String nameOf(int id) {
        return id == 0 ? null : names.get(id);
    }

    private static void putInt(byte[] page, int at, int value) {
        page[at] = (byte) (value >>> 24);
        page[at + 1] = (byte) (value >>> 16);
        page[at + 2] = (byte) (value >>> 8);
        page[at + 3] = (byte) value;
    }

    private static int intAt(byte[] page, int at) {
        return (page[at] & 0xff) << 24 | (page[at + 1] & 0xff) << 16 | (page[at + 2] & 0xff) << 8 | page[at + 3] & 0xff;
    }

    /** The copies {@link #patches} gave a verdict so far, counted for the result's report. */
    public ResultReport.Tally report() {
        return report;
    }

    /** The copies {@link #patches} gave a verdict so far, by the status they took (neither duplicates nor later). */
    public VerifyCounts copied() {
        return new VerifyCounts(valid + invalid + acceptAll + unknown, valid, invalid, acceptAll, unknown);
    }

    /** Bytes of a copy in a chunk's file: three longs. */
    private static final int COPY_BYTES = 3 * Long.BYTES;

    /** Writes a chunk's copies (binary, three numbers each) in one write; does not close {@code out}. */
    public static void write(List<Copy> copies, OutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(copies.size() * COPY_BYTES);
        for (Copy copy : copies) {
            bytes.putLong(copy.row()).putLong(copy.firstRow()).putLong(copy.at());
        }
        out.write(bytes.array());
    }

    /**
     * Reads copies {@link #write} wrote: the whole file at once (a chunk's copies take 24 bytes each, 240 KB at
     * most for a chunk of 10,000 rows), not three buffered reads per copy.
     *
     * @throws EOFException when the file ends inside a copy
     */
    public static List<Copy> read(InputStream in) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes());
        if (bytes.remaining() % COPY_BYTES != 0) {
            throw new EOFException("a file of later copies ends inside a copy: " + bytes.remaining() + " bytes");
        }
        List<Copy> copies = new ArrayList<>(bytes.remaining() / COPY_BYTES);
        while (bytes.hasRemaining()) {
            copies.add(new Copy(bytes.getLong(), bytes.getLong(), bytes.getLong()));
        }
        return copies;
    }
}
