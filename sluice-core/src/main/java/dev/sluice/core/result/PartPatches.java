package dev.sluice.core.result;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces some rows of a result part while it is read: each {@link Patch} swaps the bytes
 * {@code start..end} of the part (a row {@link VerifyPass#run} marked) for new bytes (the same record
 * {@link VerifyPass#render rendered} with its later verdict). The part itself stays as written, so patching is
 * repeatable, and every other byte is copied through unchanged, so a patched part is what the pass would
 * have written had it known the later verdicts.
 */
public final class PartPatches {

    private PartPatches() {
    }

    /**
     * One replacement: the part's bytes from {@code start} (inclusive) to {@code end} (exclusive) become the
     * {@code length} bytes of {@code bytes} from {@code offset} (a slice, so that many patches can share one
     * array).
     */
    public record Patch(long start, long end, byte[] bytes, int offset, int length) {

        public Patch {
            Objects.requireNonNull(bytes, "bytes");
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("a patch spans start <= end, was " + start + ".." + end);
            }
            Objects.checkFromIndexSize(offset, length, bytes.length);
        }

        /** The part's bytes from {@code start} to {@code end} become all of {@code bytes}. */
        public Patch(long start, long end, byte[] bytes) {
            this(start, end, bytes, 0, Objects.requireNonNull(bytes, "bytes").length);
        }
    }

    /**
     * The part as read from {@code part} with {@code patches} applied; patches must not overlap. Closing the
     * answer closes {@code part}.
     */
    public static InputStream apply(InputStream part, List<Patch> patches) {
        List<Patch> sorted = new ArrayList<>(patches);
        sorted.sort(Comparator.comparingLong(Patch::start));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start() < sorted.get(i - 1).end()) {
                throw new IllegalArgumentException("patches overlap at byte " + sorted.get(i).start());
            }
        }
        return sorted.isEmpty() ? part : new Patched(part, sorted);
    }

    /**
     * Copies the part until the next patch, then the patch's bytes, then skips the bytes it replaces. Copied whole
     * ({@link #transferTo}, as the assembly does), the part is read in blocks and each block written in the pieces
     * between its patches, so that a part with a patch every few rows costs little more than one without.
     */
    private static final class Patched extends InputStream {

        private static final int BLOCK = 1 << 16;

        private final InputStream raw;
        /** {@link #raw} buffered, made at the first {@link #read}: between patches a few dozen bytes are read. */
        private InputStream part;
        private final List<Patch> patches;
        private int next;
        private long position;
        private byte[] pending = new byte[0];
        private int pendingAt;
        private int pendingEnd;

        Patched(InputStream raw, List<Patch> patches) {
            this.raw = raw;
            this.patches = patches;
        }

        /** The part with its patches into {@code out}; after a {@link #read}, what is left of it. */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            if (part != null) {
                return super.transferTo(out);
            }
            part = InputStream.nullInputStream(); // read from here on: nothing is left
            byte[] block = new byte[BLOCK];
            long written = 0;
            long skipUntil = 0;
            int n;
            while ((n = raw.read(block)) >= 0) {
                long blockEnd = position + n;
                // the bytes a patch in an earlier block replaces may reach into this one
                int at = (int) Math.min(n, Math.max(0, skipUntil - position));
                while (next < patches.size() && patches.get(next).start() < blockEnd) {
                    Patch patch = patches.get(next++);
                    int upTo = (int) (patch.start() - position);
                    out.write(block, at, upTo - at);
                    out.write(patch.bytes(), patch.offset(), patch.length());
                    written += upTo - at + patch.length();
                    skipUntil = patch.end();
                    at = (int) Math.min(n, patch.end() - position);
                }
                out.write(block, at, n - at);
                written += n - at;
                position = blockEnd;
            }
            if (skipUntil > position) {
                throw new EOFException("the part ended at byte " + position + ", inside the bytes its patch at byte "
                        + patches.get(next - 1).start() + " replaces");
            }
            // what is inserted at the part's very end
            while (next < patches.size() && patches.get(next).start() == position
                    && patches.get(next).end() == position) {
                Patch patch = patches.get(next++);
                out.write(patch.bytes(), patch.offset(), patch.length());
                written += patch.length();
            }
            if (next < patches.size()) {
                throw new IOException("the part ended at byte " + position + ", before its patch at byte "
                        + patches.get(next).start());
            }
            return written;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        /** Fills {@code b} as far as the part goes, across patches, so that copying moves whole buffers. */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            buffered();
            if (len == 0) {
                return 0;
            }
            int total = 0;
            while (total < len) {
                int n = readSegment(b, off + total, len - total);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
            return total;
        }

        /** Reads from the pending patch bytes or the part up to the next patch, whichever comes first. */
        private int readSegment(byte[] b, int off, int len) throws IOException {
            while (true) {
                if (pendingAt < pendingEnd) {
                    int n = Math.min(len, pendingEnd - pendingAt);
                    System.arraycopy(pending, pendingAt, b, off, n);
                    pendingAt += n;
                    return n;
                }
                if (next < patches.size() && position == patches.get(next).start()) {
                    Patch patch = patches.get(next++);
                    part.skipNBytes(patch.end() - patch.start());
                    position = patch.end();
                    pending = patch.bytes();
                    pendingAt = patch.offset();
                    pendingEnd = patch.offset() + patch.length();
                    continue;
                }
                long room = next < patches.size() ? patches.get(next).start() - position : Long.MAX_VALUE;
                int n = part.read(b, off, (int) Math.min(len, room));
                if (n < 0) {
                    if (next < patches.size()) {
                        throw new IOException("the part ended at byte " + position + ", before its patch at byte "
                                + patches.get(next).start());
                    }
                    return -1;
                }
                position += n;
                return n;
            }
        }

        private void buffered() {
            if (part == null) {
                part = new BufferedInputStream(raw, BLOCK);
            }
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}
