package dev.sluice.core.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

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
        for (int i = offset; i < offset + n; i++) {
            int b = buffer[i] & 0xFF;
            if (b == 0) {
                nul++;
            } else if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                control++;
            }
            if (++inWindow == WINDOW) {
                check();
                windowStart += WINDOW;
                inWindow = 0;
                nul = 0;
                control = 0;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would leave bytes unchecked");
    }

    private void check() throws BinaryContentException {
        // the sniffer's thresholds; a last, shorter window is judged as a full one, like a stray byte early on
        if ((long) nul * 1000 > WINDOW || (long) (nul + control) * 20 > WINDOW) {
            throw new BinaryContentException(windowStart, nul + " NUL and " + control + " other control bytes in the "
                    + WINDOW + " bytes from byte offset " + windowStart);
        }
    }
}
