package dev.sluice.core.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes CSV records byte for byte as {@link VerifyPass#csvWriter} (FastCSV with a comma, double quotes, {@code #}
 * as its comment character and LF after each record) writes them, straight into a byte buffer: a result part is a
 * dozen fields a row, a million rows a job, and FastCSV's way goes through a character buffer and a charset encoder
 * into the stream. A field is quoted when it holds a quote, a comma, CR or LF, or when it is a record's first field
 * and starts with {@code #}; quotes inside are doubled; an empty field is written as nothing. Text is UTF-8, a lone
 * surrogate written as {@code ?} as the encoder writes it. Not thread-safe.
 */
final class CsvRowWriter {

    private static final int BUFFER = 1 << 14;
    private static final byte QUOTE = '"';

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];
    private int used;
    /** The index of the next field of the record being written. */
    private int field;

    CsvRowWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the next field of the record; {@code null} is written as an empty field. */
    CsvRowWriter field(String value) throws IOException {
        if (field++ > 0) {
            put((byte) ',');
        }
        if (value == null || value.isEmpty()) {
            return this;
        }
        int length = value.length();
        boolean quoted = field == 1 && value.charAt(0) == '#';
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == ',' || c == '\n' || c == '\r') {
                quoted = true;
            } else if (c >= 0x80) {
                ascii = false;
            }
        }
        if (ascii && !quoted) {
            writeAscii(value);
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (quoted) {
            quoted(bytes, 0, bytes.length, false);
        } else {
            copy(bytes, 0, bytes.length);
        }
        return this;
    }

    /**
     * Writes the next field from its UTF-8 bytes, {@code from} to {@code to} of {@code bytes}: the bytes
     * {@link #field(String)} writes for their text, or for {@link FormulaGuard#neutralise its neutralised text} when
     * {@code guard}. The characters that decide quoting and the guard are ASCII, and a UTF-8 byte below 0x80 is always
     * that character, so the bytes are looked at without decoding them; a field without any is copied in one piece.
     */
    CsvRowWriter field(byte[] bytes, int from, int to, boolean guard) throws IOException {
        if (field++ > 0) {
            put((byte) ',');
        }
        if (from == to) {
            return this;
        }
        boolean formula = guard && FormulaGuard.starts(bytes[from]);
        boolean quoted = field == 1 && bytes[from] == '#';
        for (int i = from; i < to && !quoted; i++) {
            byte b = bytes[i];
            quoted = b == QUOTE || b == ',' || b == '\n' || b == '\r';
        }
        if (quoted) {
            quoted(bytes, from, to, formula);
            return this;
        }
        if (formula) {
            put((byte) '\'');
        }
        copy(bytes, from, to);
        return this;
    }

    /** The bytes in quotes, each quote among them doubled; after the opening quote the guard's {@code '} if asked. */
    private void quoted(byte[] bytes, int from, int to, boolean formula) throws IOException {
        put(QUOTE);
        if (formula) {
            put((byte) '\'');
        }
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            put(b);
            if (b == QUOTE) {
                put(QUOTE);
            }
        }
        put(QUOTE);
    }

    private void copy(byte[] bytes, int from, int to) throws IOException {
        int at = from;
        while (at < to) {
            if (used == BUFFER) {
                flush();
            }
            int n = Math.min(to - at, BUFFER - used);
            System.arraycopy(bytes, at, buffer, used, n);
            used += n;
            at += n;
        }
    }

    /**
     * Writes {@code count} fields at once from {@code bytes}: the fields and the commas between them as the calls for
     * each would write them (made with a writer of their own, see {@code VerifyPass}), none of them a record's first.
     */
    CsvRowWriter fields(byte[] bytes, int count) throws IOException {
        if (field > 0) {
            put((byte) ',');
        }
        field += count;
        copy(bytes, 0, bytes.length);
        return this;
    }

    /** The bytes written so far that are still in the buffer, not yet handed to the stream. */
    int buffered() {
        return used;
    }

    /**
     * Writes the next field, a word known to need no quoting: ASCII letters, digits, {@code _} and {@code -} only,
     * not starting with {@code #} (a status, a reason code, {@code true} or {@code false}). Copied as it is, without
     * the look at every character {@link #field(String)} takes; the bytes are the same.
     */
    CsvRowWriter word(String value) throws IOException {
        if (field++ > 0) {
            put((byte) ',');
        }
        writeAscii(value);
        return this;
    }

    /** Writes the next field, {@code number} in decimal: the bytes {@link #field(String)} writes for its text. */
    CsvRowWriter field(long number) throws IOException {
        if (number < 0) {
            return field(Long.toString(number));
        }
        if (field++ > 0) {
            put((byte) ',');
        }
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        if (BUFFER - used < digits) {
            flush();
        }
        long rest = number;
        for (int i = used + digits - 1; i >= used; i--) {
            buffer[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        used += digits;
        return this;
    }

    /** Ends the record: LF. */
    void endRecord() throws IOException {
        put((byte) '\n');
        field = 0;
    }

    /** Hands what is buffered to the stream (whose own flush is not called). */
    void flush() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }

    /**
     * Copies an ASCII field in as many pieces as the buffer takes. {@link String#getBytes(int, int, byte[], int)}
     * copies each character's low byte: exact for ASCII, and one array copy for a string held as Latin-1, where a
     * loop over the characters was most of this writer's time.
     */
    @SuppressWarnings("deprecation")
    private void writeAscii(String value) throws IOException {
        int length = value.length();
        int from = 0;
        while (from < length) {
            if (used == BUFFER) {
                flush();
            }
            int n = Math.min(length - from, BUFFER - used);
            value.getBytes(from, from + n, buffer, used);
            used += n;
            from += n;
        }
    }

    private void put(byte b) throws IOException {
        if (used == BUFFER) {
            flush();
        }
        buffer[used++] = b;
    }
}
