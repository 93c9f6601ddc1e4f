package dev.sluice.core.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Applies {@link EncodingSniffer}'s test for binary content (NUL bytes, control bytes) to every
 * {@value #WINDOW}-byte window of the file, not only to the first: binary data that starts after the sample
 * is refused like binary data at the start, instead of being loaded as cells. A stray NUL is tolerated at
 * the same density as in the sample. Not used for UTF-16, where every other byte is NUL.
 */
final class BinaryGuard extends FilterInputStream {

    static final int WINDOW = FileLoader.SAMPLE_BYTES;

    /** Thrown when a window looks binary; {@link #offset()} is the file offset where the window starts. */
    static final class BinaryContentException extends IOException {

        private final long offset;

        BinaryContentException(long offset, String message) {
            super(message);
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private long windowStart;
    private int inWindow;
    private int nul;
    private int control;

    /** {@code startOffset}: the file offset of the first byte of {@code in}. */
    BinaryGuard(InputStream in, long startOffset) {
        super(in);
        this.windowStart = startOffset;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            check();
            return n;
        }
        for (int i = offset, end = offset + n; i < end; ) {
            // up to the end of the read or of the current window, whichever comes first
            int stop = Math.min(end, i + (WINDOW - inWindow));
            inWindow += stop - i;
            count(buffer, i, stop);
            i = stop;
            if (inWindow == WINDOW) {
                check();
                windowStart += WINDOW;
                inWindow = 0;
                nul = 0;
                control = 0;
            }
        }
        return n;
    }

    /**
     * Counts the NUL and control bytes from {@code from} to {@code to}, eight bytes at a time: only the bytes
     * {@link #belowSpace} flags in a word are looked at, in nearly every line of text just its line feed.
     */
    private void count(byte[] buffer, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            for (long flagged = belowSpace((long) LONGS.get(buffer, i)); flagged != 0; flagged &= flagged - 1) {
                tally(buffer[i + (Long.numberOfTrailingZeros(flagged) >>> 3)]);
            }
        }
        for (; i < to; i++) {
            tally(buffer[i]);
        }
    }

    private void tally(int b) {
        if (b >= 0 && b < 0x20) {
            if (b == 0) {
                nul++;
            } else if (b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                control++;
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would leave bytes unchecked");
    }

    /** Whether any of the eight bytes of {@code word}, read as unsigned, is below 0x20 (exact for the word). */
    static boolean anyBelowSpace(long word) {
        return belowSpace(word) != 0;
    }

    /**
     * The high bit of each byte of {@code word} (little-endian) that may be below 0x20: every such byte is flagged,
     * and a byte above one that is may be flagged too (the subtraction's borrow), so a flagged byte is looked at.
     */
    static long belowSpace(long word) {
        return (word - ONES * 0x20) & ~word & HIGH_BITS;
    }

    private void check() throws BinaryContentException {
        // the sniffer's thresholds; a last, shorter window is judged as a full one, like a stray byte early on
        if ((long) nul * 1000 > WINDOW || (long) (nul + control) * 20 > WINDOW) {
            throw new BinaryContentException(windowStart, nul + " NUL and " + control + " other control bytes in the "
                    + WINDOW + " bytes from byte offset " + windowStart);
        }
    }
}
