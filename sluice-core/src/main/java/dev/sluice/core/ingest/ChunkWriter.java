package dev.sluice.core.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a chunk input in the binary form {@link ChunkReader} reads: {@link #MAGIC}, then per record the number of
 * its fields and each field's UTF-8 bytes after their length, both numbers as unsigned LEB128 varints. A chunk input
 * is read by one job task and never by a person, so it skips what CSV costs on both sides: no field is scanned for
 * characters to quote on the way out, and none is parsed back character by character. Not thread-safe.
 */
final class ChunkWriter implements Closeable {

    /** The first bytes of a binary chunk input: a zero byte, which no CSV part starts with, then "SR1". */
    static final byte[] MAGIC = {0, 'S', 'R', '1'};
    private static final int BUFFER = 1 << 16;
    /** The most bytes a varint of an int takes. */
    private static final int VARINT = 5;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];
    private int used;

    /** A writer onto {@code out}, which closing it closes. */
    ChunkWriter(OutputStream out) {
        this.out = out;
        System.arraycopy(MAGIC, 0, buffer, 0, MAGIC.length);
        used = MAGIC.length;
    }

    void writeRecord(List<String> fields) throws IOException {
        writeRecord(RecordCells.of(fields));
    }

    void writeRecord(RecordCells cells) throws IOException {
        room(VARINT);
        putVarint(cells.size());
        char[] chars = cells.chars();
        for (int i = 0; i < cells.size(); i++) {
            writeField(chars, cells.start(i), cells.end(i));
        }
    }

    /** Writes an ASCII cell straight into the buffer; any other goes through the UTF-8 encoder. */
    private void writeField(char[] chars, int start, int end) throws IOException {
        int length = end - start;
        if (length + VARINT <= BUFFER) {
            room(length + VARINT);
            int begin = used;
            putVarint(length);
            int at = used;
            for (int i = start; i < end; i++) {
                char c = chars[i];
                if (c >= 0x80) {
                    used = begin;
                    writeEncoded(new String(chars, start, length));
                    return;
                }
                buffer[at++] = (byte) c;
            }
            used = at;
            return;
        }
        writeEncoded(new String(chars, start, length));
    }

    private void writeEncoded(String field) throws IOException {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        room(VARINT);
        putVarint(bytes.length);
        if (bytes.length > BUFFER - used) {
            flushBuffer();
            out.write(bytes);
        } else {
            System.arraycopy(bytes, 0, buffer, used, bytes.length);
            used += bytes.length;
        }
    }

    private void putVarint(int value) {
        int rest = value;
        while ((rest & ~0x7f) != 0) {
            buffer[used++] = (byte) (rest & 0x7f | 0x80);
            rest >>>= 7;
        }
        buffer[used++] = (byte) rest;
    }

    /** Makes room for {@code bytes} more in the buffer, {@code bytes} at most its size. */
    private void room(int bytes) throws IOException {
        if (used + bytes > BUFFER) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buffer, 0, used);
        used = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            out.close();
        }
    }
}
