package dev.sluice.server.verify;

import com.google.common.io.CountingOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a verify chunk hands the assembly beside its part, in one blob ({@link dev.sluice.server.job.BlobKeys#handout}):
 * the chunk's report, its copies of earlier chunks' rows ({@code core.result.LaterCopies}) and the verdicts of its
 * first copies ({@code core.result.ChunkDuplicates.FirstCopies}). Three files a chunk before; each file costs a
 * create and a rename on a disk and a request each way on a bucket.
 *
 * <p>Layout: the four bytes {@code \0SH1}, the three sections one after the other, then their lengths as three
 * big-endian ints, so that each section is written straight into the blob. The assembly reads a blob whole (a few
 * hundred KB for a chunk of 10,000 rows) once, in chunk order.
 */
final class ChunkHandout {

    private static final byte[] MAGIC = {0, 'S', 'H', '1'};
    private static final int SECTIONS = 3;
    private static final int TRAILER = SECTIONS * Integer.BYTES;

    private final byte[] bytes;
    private final int[] starts = new int[SECTIONS];
    private final int[] lengths = new int[SECTIONS];

    private ChunkHandout(byte[] bytes) throws IOException {
        this.bytes = bytes;
        if (bytes.length < MAGIC.length + TRAILER
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new EOFException("not a chunk handout, or cut short: " + bytes.length + " bytes");
        }
        ByteBuffer trailer = ByteBuffer.wrap(bytes, bytes.length - TRAILER, TRAILER);
        long at = MAGIC.length;
        for (int i = 0; i < SECTIONS; i++) {
            lengths[i] = trailer.getInt();
            if (lengths[i] < 0) {
                throw new IOException("a chunk handout names a section of " + lengths[i] + " bytes");
            }
            starts[i] = (int) Math.min(at, Integer.MAX_VALUE);
            at += lengths[i];
        }
        if (at != bytes.length - TRAILER) {
            throw new EOFException("a chunk handout's sections take " + (at - MAGIC.length) + " bytes, its blob holds "
                    + (bytes.length - MAGIC.length - TRAILER));
        }
    }

    /** Writes one section into a handout. */
    @FunctionalInterface
    interface Section {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a handout to {@code out}, which it does not close; a section must not close it either. */
    static void write(OutputStream out, Section report, Section laterCopies, Section firstCopies) throws IOException {
        CountingOutputStream counted = new CountingOutputStream(out);
        counted.write(MAGIC);
        int[] lengths = new int[SECTIONS];
        Section[] sections = {report, laterCopies, firstCopies};
        for (int i = 0; i < SECTIONS; i++) {
            long before = counted.getCount();
            sections[i].writeTo(counted);
            long length = counted.getCount() - before;
            if (length > Integer.MAX_VALUE) {
                throw new IOException("a chunk handout's section is over 2 GB: " + length + " bytes");
            }
            lengths[i] = (int) length;
        }
        DataOutputStream trailer = new DataOutputStream(out);
        for (int length : lengths) {
            trailer.writeInt(length);
        }
        trailer.flush();
    }

    /**
     * Reads a handout whole.
     *
     * @throws EOFException when the blob is no handout or was cut short
     */
    static ChunkHandout read(InputStream in) throws IOException {
        try (in) {
            return new ChunkHandout(in.readAllBytes());
        }
    }

    InputStream report() {
        return section(0);
    }

    InputStream laterCopies() {
        return section(1);
    }

    InputStream firstCopies() {
        return section(2);
    }

    private InputStream section(int index) {
        return new ByteArrayInputStream(bytes, starts[index], lengths[index]);
    }
}
