package dev.sluice.core.ingest;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads chunk inputs written by {@link FileLoader} ({@link ChunkWriter}: binary, records keep their own width) and
 * the CSV parts of earlier versions and of other writers (the import's parts): UTF-8 CSV with comma delimiter,
 * RFC 4180 quoting (only where needed), LF after each record and no header. Blank records never occur in a CSV part,
 * so a blank line would be a corruption and is skipped.
 */
public final class ChunkReader {

    private ChunkReader() {
    }

    /**
     * Reads one chunk part and calls {@code consumer} once per record with its fields, in order: each record a list
     * of its own, unmodifiable. Does not close {@code part}.
     *
     * @return the number of records read
     */
    public static long read(InputStream part, Consumer<List<String>> consumer) throws IOException {
        byte[] head = part.readNBytes(ChunkWriter.MAGIC.length);
        if (Arrays.equals(head, ChunkWriter.MAGIC)) {
            return new BinaryRecords(part).readAll(consumer);
        }
        return readCsv(new SequenceInputStream(new ByteArrayInputStream(head), new ShieldedInputStream(part)),
                consumer);
    }

    /**
     * Reads one chunk part whole, its cells as bytes ({@link ChunkCells}), for a pass that copies most cells as they
     * are. A CSV part's cells are encoded to UTF-8 as read. Does not close {@code part}.
     */
    public static ChunkCells readCells(InputStream part) throws IOException {
        byte[] head = part.readNBytes(ChunkWriter.MAGIC.length);
        if (Arrays.equals(head, ChunkWriter.MAGIC)) {
            ChunkCells cells = new ChunkCells(1 << 16);
            new BinaryRecords(part).readAll(cells);
            return cells;
        }
        ChunkCells cells = new ChunkCells(1 << 12);
        readCsv(new SequenceInputStream(new ByteArrayInputStream(head), new ShieldedInputStream(part)), cells::add);
        return cells;
    }

    private static long readCsv(InputStream part, Consumer<List<String>> consumer) throws IOException {
        long count = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(part, StandardCharsets.UTF_8)) {
            for (CsvRecord record : reader) {
                consumer.accept(record.getFields());
                count++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count;
    }

    /** The writer for one chunk input; closing it closes {@code part}. */
    static ChunkWriter writer(OutputStream part) {
        return new ChunkWriter(part);
    }

    /** The records of a binary chunk input after its magic bytes, read through one buffer. */
    private static final class BinaryRecords {

        private final InputStream in;
        private byte[] buffer = new byte[1 << 16];
        private int at;
        private int end;

        BinaryRecords(InputStream in) {
            this.in = in;
        }

        /** Adds every record to {@code cells}, each cell's bytes copied as they lie. */
        void readAll(ChunkCells cells) throws IOException {
            while (fill(1)) {
                int count = varint();
                cells.startRecord();
                for (int i = 0; i < count; i++) {
                    int length = varint();
                    require(length);
                    cells.addCell(buffer, at, length);
                    at += length;
                }
            }
        }

        long readAll(Consumer<List<String>> consumer) throws IOException {
            long count = 0;
            while (fill(1)) {
                String[] fields = new String[varint()];
                for (int i = 0; i < fields.length; i++) {
                    int length = varint();
                    require(length);
                    fields[i] = new String(buffer, at, length, StandardCharsets.UTF_8);
                    at += length;
                }
                consumer.accept(Collections.unmodifiableList(Arrays.asList(fields)));
                count++;
            }
            return count;
        }

        /**
         * Whether {@code bytes} bytes are in the buffer from {@link #at}, reading more as needed; false when the
         * input ends first. The buffer grows only as bytes arrive, so a damaged length cannot make it huge.
         */
        private boolean fill(int bytes) throws IOException {
            if (end - at >= bytes) {
                return true;
            }
            System.arraycopy(buffer, at, buffer, 0, end - at);
            end -= at;
            at = 0;
            while (end < bytes) {
                if (end == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max(bytes, (long) buffer.length * 2),
                            Integer.MAX_VALUE - 8));
                }
                int read = in.read(buffer, end, buffer.length - end);
                if (read < 0) {
                    return false;
                }
                end += read;
            }
            return true;
        }

        private void require(int bytes) throws IOException {
            if (!fill(bytes)) {
                throw new EOFException("a chunk input ends inside a record");
            }
        }

        /** An unsigned LEB128 varint of at most 31 bits. */
        private int varint() throws IOException {
            int value = 0;
            for (int shift = 0; shift < Integer.SIZE; shift += 7) {
                require(1);
                byte b = buffer[at++];
                value |= (b & 0x7f) << shift;
                if (b >= 0) {
                    if (shift == 28 && b > 7) {
                        break; // more than 31 bits
                    }
                    return value;
                }
            }
            throw new IOException("a chunk input holds a damaged number");
        }
    }
}
