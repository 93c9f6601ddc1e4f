package dev.sluice.core.ingest;

import java.io.IOException;
import java.io.Reader;

/**
 * Drops the spaces (and tabs, unless tab is the delimiter) between a delimiter or line start and the opening
 * quote of a quoted cell, and between its closing quote and the next delimiter or line end, as spreadsheets
 * do: {@code "Name", " EMAIL ",notes} reads as {@code Name}, {@code  EMAIL }, {@code notes}. Without it a
 * space before the quote makes the quotes literal, and a quoted delimiter splits the cell.
 *
 * <p>Nothing else changes: spaces inside quotes, in unquoted cells and after text following a closing quote
 * ({@code "Doe" Jr}) are kept, so a well-formed RFC 4180 file reads exactly as without this filter. It runs
 * in front of FastCSV because FastCSV's own relaxed parser refuses text after a closing quote. Spaces held at
 * a cell start are bounded by {@link #MAX_HELD}; longer runs are passed on as data.
 */
final class QuotedCellTrimmer extends Reader {

    static final int MAX_HELD = 1024;

    private static final int CELL_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_IN_QUOTED = 3;
    private static final int AFTER_QUOTE = 4;

    private final Reader in;
    private final char delimiter;
    private final char[] input = new char[16 * 1024];
    private final char[] held = new char[MAX_HELD];
    private int heldLength;
    private final char[] out = new char[input.length + MAX_HELD];
    private int outStart;
    private int outEnd;
    private int state = CELL_START;
    private boolean eof;

    QuotedCellTrimmer(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (outStart == outEnd) {
            if (eof) {
                return -1;
            }
            outStart = 0;
            outEnd = 0;
            int n = in.read(input, 0, input.length);
            if (n < 0) {
                eof = true;
                if (state == CELL_START) {
                    // spaces at a cell start at the very end: keep them as they were
                    emitHeld();
                }
                heldLength = 0;
                continue;
            }
            filter(n);
        }
        int n = Math.min(length, outEnd - outStart);
        System.arraycopy(out, outStart, buffer, offset, n);
        outStart += n;
        return n;
    }

    private void emitHeld() {
        System.arraycopy(held, 0, out, outEnd, heldLength);
        outEnd += heldLength;
        heldLength = 0;
    }

    /**
     * Filters {@code input[0..n)} into {@code out}; every char is copied except spaces dropped around quotes. The
     * inside of a cell, quoted or not, is copied by a loop of its own up to the char that ends it: most chars are
     * there, and a test of the state per char took a third of a load's time.
     */
    private void filter(int n) {
        if (heldLength == 0 && (state == CELL_START || state == UNQUOTED) && copiedWhole(n)) {
            return;
        }
        char[] in = input;
        char[] to = out;
        char sep = delimiter;
        boolean tabIsSpace = delimiter != '\t';
        int s = state;
        int o = outEnd;
        int i = 0;
        while (i < n) {
            if (s == UNQUOTED) {
                // the rest of an unquoted cell, and the delimiter or line end after it, which starts a cell
                while (i < n) {
                    char c = in[i++];
                    to[o++] = c;
                    if (c == sep || c == '\n' || c == '\r') {
                        s = CELL_START;
                        break;
                    }
                }
                continue;
            }
            if (s == QUOTED) {
                // the rest of a quoted cell, and the quote that may close it
                while (i < n) {
                    char c = in[i++];
                    to[o++] = c;
                    if (c == '"') {
                        s = QUOTE_IN_QUOTED;
                        break;
                    }
                }
                continue;
            }
            char c = in[i];
            if (s == CELL_START || s == AFTER_QUOTE) {
                if ((c == ' ' || (c == '\t' && tabIsSpace)) && heldLength < MAX_HELD) {
                    held[heldLength++] = c;
                    i++;
                    continue;
                }
                boolean end = c == sep || c == '\n' || c == '\r';
                if (s == CELL_START && c == '"') {
                    heldLength = 0;
                    s = QUOTED;
                } else if (s == AFTER_QUOTE && end) {
                    heldLength = 0;
                    s = CELL_START;
                } else {
                    if (heldLength > 0) {
                        System.arraycopy(held, 0, to, o, heldLength);
                        o += heldLength;
                        heldLength = 0;
                    }
                    s = end ? CELL_START : UNQUOTED;
                }
                to[o++] = c;
                i++;
            } else if (c == '"') {
                // QUOTE_IN_QUOTED: a doubled quote stays inside
                s = QUOTED;
                to[o++] = c;
                i++;
            } else {
                // anything else closed the cell: the char is looked at again after the quote
                s = AFTER_QUOTE;
            }
        }
        state = s;
        outEnd = o;
    }

    /**
     * The common case, in one test per char: a read without a quote, begun outside any quote with no spaces
     * held, passes on unchanged, except the spaces that end it at the start of a cell, which are held (a quote
     * may follow in the next read). Answers false, having changed nothing, when the read has a quote or ends in
     * a run of spaces too long to hold.
     */
    private boolean copiedWhole(int n) {
        char[] in = input;
        for (int i = 0; i < n; i++) {
            if (in[i] == '"') {
                return false;
            }
        }
        boolean tabIsSpace = delimiter != '\t';
        int spacesFrom = n;
        while (spacesFrom > 0 && (in[spacesFrom - 1] == ' ' || (in[spacesFrom - 1] == '\t' && tabIsSpace))) {
            spacesFrom--;
        }
        boolean cellStartsAt = spacesFrom == 0 ? state == CELL_START : endsCell(in[spacesFrom - 1]);
        if (cellStartsAt && n - spacesFrom >= MAX_HELD) {
            return false;
        }
        int passed = cellStartsAt ? spacesFrom : n;
        System.arraycopy(in, 0, out, outEnd, passed);
        outEnd += passed;
        heldLength = n - passed;
        System.arraycopy(in, passed, held, 0, heldLength);
        state = cellStartsAt ? CELL_START : UNQUOTED;
        return true;
    }

    private boolean endsCell(char c) {
        return c == delimiter || c == '\n' || c == '\r';
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
