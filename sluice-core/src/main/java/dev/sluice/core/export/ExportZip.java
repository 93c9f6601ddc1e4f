package dev.sluice.core.export;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip archive written as a stream, entry after entry (deflated). {@link #next} starts an entry and
 * answers the stream to write it to; closing that stream does nothing, the next entry or {@link #close()}
 * ends it. {@link #close()} writes the central directory but leaves the target stream open.
 */
public final class ExportZip implements Closeable {

    private final ZipOutputStream zip;
    private final Set<String> names = new HashSet<>();
    private boolean open;

    public ExportZip(OutputStream out) {
        this.zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        });
    }

    /** Ends the current entry, if any, and starts one named {@code name} (unique within the archive). */
    public OutputStream next(String name) throws IOException {
        if (!names.add(name)) {
            throw new IllegalArgumentException("the archive already has an entry named " + name);
        }
        if (open) {
            zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(name));
        open = true;
        return new FilterOutputStream(zip) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                zip.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                // the entry ends with the next one or with the archive
            }
        };
    }

    /** Ends the last entry and the archive; the target stream stays open. */
    @Override
    public void close() throws IOException {
        if (open) {
            zip.closeEntry();
            open = false;
        }
        zip.close();
    }
}
