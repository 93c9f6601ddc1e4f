package dev.sluice.core.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** A {@link ChunkSink} keeping parts in memory and recording that the loader closed each one. */
final class MemorySink implements ChunkSink {

    private final List<ByteArrayOutputStream> parts = new ArrayList<>();
    private final List<Boolean> closed = new ArrayList<>();

    @Override
    public OutputStream open(int chunkIndex) {
        if (chunkIndex != parts.size()) {
            throw new IllegalStateException("chunk " + chunkIndex + " opened out of order");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        parts.add(bytes);
        closed.add(false);
        return new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public void close() {
                closed.set(chunkIndex, true);
            }
        };
    }

    int parts() {
        return parts.size();
    }

    boolean allClosed() {
        return !closed.contains(false);
    }

    List<List<String>> records(int part) throws IOException {
        List<List<String>> records = new ArrayList<>();
        ChunkReader.read(new ByteArrayInputStream(parts.get(part).toByteArray()), f -> records.add(List.copyOf(f)));
        return records;
    }

    List<List<String>> allRecords() throws IOException {
        List<List<String>> records = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            records.addAll(records(i));
        }
        return records;
    }
}
