package dev.sluice.core.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decides a file's charset from its first bytes, and refuses files that are plainly not text.
 *
 * <p>Order: byte-order mark; a known binary signature; UTF-16 without a mark (every other byte NUL, as
 * some Windows tools write it); NUL or control bytes, which no text export contains in bulk; strict
 * UTF-8; otherwise windows-1252, the usual charset of spreadsheets saved on Western Windows machines
 * (and a superset of ISO-8859-1 for printable characters, so Latin-1 files read correctly too).
 */
final class EncodingSniffer {

    /** Charset of a file and how many bytes of byte-order mark precede the text. */
    record Encoding(Charset charset, int bomLength) {
    }

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private EncodingSniffer() {
    }

    static Encoding sniff(byte[] sample, int length, boolean complete) throws MalformedFileException {
        if (startsWith(sample, length, 0xEF, 0xBB, 0xBF)) {
            return new Encoding(StandardCharsets.UTF_8, 3);
        }
        if (startsWith(sample, length, 0xFF, 0xFE)) {
            return new Encoding(StandardCharsets.UTF_16LE, 2);
        }
        if (startsWith(sample, length, 0xFE, 0xFF)) {
            return new Encoding(StandardCharsets.UTF_16BE, 2);
        }
        String signature = binarySignature(sample, length);
        if (signature != null) {
            throw new MalformedFileException(MalformedReason.BINARY_CONTENT,
                    "the file is " + signature + ", not CSV text; export the data as CSV (UTF-8) and upload that");
        }
        Charset utf16 = utf16WithoutBom(sample, length);
        if (utf16 != null) {
            return new Encoding(utf16, 0);
        }
        int nul = 0;
        int control = 0;
        for (int i = 0; i < length; i++) {
            int b = sample[i] & 0xFF;
            if (b == 0) {
                nul++;
            } else if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                control++;
            }
        }
        // A stray NUL happens in real exports; a NUL in every thousand bytes does not.
        if ((long) nul * 1000 > length || (long) (nul + control) * 20 > length) {
            throw new MalformedFileException(MalformedReason.BINARY_CONTENT,
                    "the file looks binary (" + nul + " NUL and " + control + " other control bytes in the first "
                            + length + " bytes), not CSV text; export the data as CSV (UTF-8) and upload that");
        }
        if (isUtf8(sample, length, complete)) {
            return new Encoding(StandardCharsets.UTF_8, 0);
        }
        return new Encoding(WINDOWS_1252, 0);
    }

    private static boolean isUtf8(byte[] sample, int length, boolean complete) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // endOfInput=false when the sample was cut: a character split at the cut is not an error.
        return !decoder.decode(ByteBuffer.wrap(sample, 0, length), CharBuffer.allocate(length), complete).isError();
    }

    private static Charset utf16WithoutBom(byte[] sample, int length) {
        int pairs = Math.min(length, 4096) / 2;
        if (pairs < 2) {
            return null;
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < pairs; i++) {
            if (sample[2 * i] == 0) {
                evenNul++;
            }
            if (sample[2 * i + 1] == 0) {
                oddNul++;
            }
        }
        // Latin text in UTF-16 has a zero high byte in (nearly) every pair and a non-zero low byte.
        if (oddNul * 10L >= pairs * 7L && evenNul * 50L <= pairs) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenNul * 10L >= pairs * 7L && oddNul * 50L <= pairs) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static String binarySignature(byte[] s, int length) {
        if (startsWith(s, length, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (startsWith(s, length, 'P', 'K', 0x03, 0x04) || startsWith(s, length, 'P', 'K', 0x05, 0x06)) {
            return "a ZIP archive (an .xlsx workbook is one)";
        }
        if (startsWith(s, length, 0xD0, 0xCF, 0x11, 0xE0)) {
            return "an Excel 97-2003 workbook (.xls)";
        }
        if (startsWith(s, length, 0x1F, 0x8B)) {
            return "gzip-compressed";
        }
        if (startsWith(s, length, '%', 'P', 'D', 'F', '-')) {
            return "a PDF document";
        }
        if (startsWith(s, length, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        }
        return null;
    }

    private static boolean startsWith(byte[] sample, int length, int... prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((sample[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
