package dev.sluice.core.result;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
     * Copies the part until the next patch, then the patch's bytes, then skips the bytes it replaces. The part is
     * read into a buffer of its own, and each span between two patches (a few hundred bytes on a list with many
     * repeated addresses) is copied out of it, not read through a buffered stream's lock.
     */
    private static final class Patched extends InputStream {

        private static final int BUFFER = 1 << 16;

        private final InputStream part;
        private final List<Patch> patches;
        private int next;
        /** The place in the part of the next byte not yet passed on or skipped. */
        private long position;
        private byte[] pending = new byte[0];
        private int pendingAt;
        private int pendingEnd;
        private final byte[] buffer = new byte[BUFFER];
        private int bufferAt;
        private int bufferEnd;

        Patched(InputStream part, List<Patch> patches) {
            this.part = part;
            this.patches = patches;
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
                    skipPart(patch.end() - patch.start());
                    pending = patch.bytes();
                    pendingAt = patch.offset();
                    pendingEnd = patch.offset() + patch.length();
                    continue;
                }
                if (bufferAt == bufferEnd && !fill()) {
                    if (next < patches.size()) {
                        throw new IOException("the part ended at byte " + position + ", before its patch at byte "
                                + patches.get(next).start());
                    }
                    return -1;
                }
                long room = next < patches.size() ? patches.get(next).start() - position : Long.MAX_VALUE;
                int n = (int) Math.min(Math.min(len, room), bufferEnd - bufferAt);
                System.arraycopy(buffer, bufferAt, b, off, n);
                bufferAt += n;
                position += n;
                return n;
            }
        }

        /** Reads the next bytes of the part into the empty buffer; false at the part's end. */
        private boolean fill() throws IOException {
            int n = part.read(buffer, 0, BUFFER);
            while (n == 0) {
                n = part.read(buffer, 0, BUFFER);
            }
            if (n < 0) {
                return false;
            }
            bufferAt = 0;
            bufferEnd = n;
            return true;
        }

        /** Passes over {@code count} bytes of the part, which a patch replaces. */
        private void skipPart(long count) throws IOException {
            long left = count;
            while (left > 0) {
                if (bufferAt == bufferEnd && !fill()) {
                    throw new EOFException("the part ended at byte " + position + ", inside a patched row");
                }
                int n = (int) Math.min(left, bufferEnd - bufferAt);
                bufferAt += n;
                position += n;
                left -= n;
            }
        }

        @Override
        public void close() throws IOException {
            part.close();
        }
    }
}
