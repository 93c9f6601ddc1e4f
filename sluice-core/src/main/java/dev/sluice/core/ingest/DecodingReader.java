package dev.sluice.core.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A reader that refuses malformed bytes and knows exactly where they are. {@link java.io.InputStreamReader}
 * either replaces bad bytes silently or fails without saying where; a user fixing a file needs the offset.
 * Unmappable bytes (the five holes of windows-1252) are replaced, since they are a charset quirk, not garbage.
 *
 * <p>A file sniffed as UTF-8 only because its first 64 KB are plain ASCII may turn out to be windows-1252 later
 * (the first accented name after row 3,000). When every character decoded so far was ASCII, which reads the
 * same in both, the reader switches to windows-1252 at the first byte that is not UTF-8: the result is exactly
 * the whole file read as windows-1252. After a real UTF-8 multi-byte character, a bad byte is an error.
 */
final class DecodingReader extends Reader {

    /** Thrown when the bytes at {@link #offset()} are not valid in the charset. */
    static final class UndecodableInputException extends IOException {

        private final long offset;

        UndecodableInputException(long offset, String message) {
            super(message);
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }

    private final InputStream in;
    private CharsetDecoder decoder;
    private boolean mayFallBack;
    private long fallbackOffset = -1;
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024).flip();
    private long consumed;
    private boolean eof;
    private boolean done;

    /** {@code startOffset} is the file offset of the first byte of {@code in} (after a byte-order mark). */
    DecodingReader(InputStream in, Charset charset, long startOffset) {
        this.in = in;
        this.decoder = decoder(charset);
        this.consumed = startOffset;
        // a byte-order mark declares UTF-8; only a sniffed guess may be revised
        this.mayFallBack = charset.equals(StandardCharsets.UTF_8) && startOffset == 0;
    }

    private static CharsetDecoder decoder(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** The charset the input was read in: the one given, or windows-1252 after a fallback. */
    Charset charset() {
        return decoder.charset();
    }

    /** File offset of the byte where the reader switched to windows-1252, or -1. */
    long fallbackOffset() {
        return fallbackOffset;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(length, chars.remaining());
        chars.get(buffer, offset, n);
        return n;
    }

    private boolean fill() throws IOException {
        if (done) {
            return false;
        }
        chars.clear();
        while (true) {
            if (!eof) {
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            int before = bytes.position();
            int charsBefore = chars.position();
            CoderResult result = decoder.decode(bytes, chars, eof);
            consumed += bytes.position() - before;
            if (mayFallBack) {
                for (int i = charsBefore; i < chars.position(); i++) {
                    if (chars.get(i) > 0x7F) {
                        mayFallBack = false;
                        break;
                    }
                }
            }
            if (result.isError() && mayFallBack) {
                mayFallBack = false;
                fallbackOffset = consumed;
                decoder = decoder(EncodingSniffer.WINDOWS_1252);
                continue;
            }
            if (result.isError()) {
                throw new UndecodableInputException(consumed, describe(result.length()));
            }
            if (eof && !bytes.hasRemaining()) {
                decoder.flush(chars);
                done = true;
            }
            if (chars.position() > 0 || done) {
                chars.flip();
                return chars.hasRemaining();
            }
        }
    }

    private String describe(int badLength) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < badLength && bytes.position() + i < bytes.limit(); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(bytes.position() + i) & 0xFF));
        }
        return "invalid " + decoder.charset().name() + " byte sequence " + hex + " at byte offset " + consumed;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
