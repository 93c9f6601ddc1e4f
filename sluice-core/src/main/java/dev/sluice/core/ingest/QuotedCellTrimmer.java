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

    private enum State { CELL_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTE }

    private final Reader in;
    private final char delimiter;
    private final char[] input = new char[16 * 1024];
    private final StringBuilder held = new StringBuilder();
    private final StringBuilder out = new StringBuilder();
    private int outPos;
    private State state = State.CELL_START;
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
        while (outPos == out.length()) {
            out.setLength(0);
            outPos = 0;
            if (eof) {
                return -1;
            }
            int n = in.read(input, 0, input.length);
            if (n < 0) {
                eof = true;
                if (state == State.CELL_START || state == State.AFTER_QUOTE) {
                    // spaces at a cell start or after a closing quote at the very end: keep them as they were
                    out.append(state == State.CELL_START ? held : "");
                }
                held.setLength(0);
                continue;
            }
            for (int i = 0; i < n; i++) {
                accept(input[i]);
            }
        }
        int n = Math.min(length, out.length() - outPos);
        out.getChars(outPos, outPos + n, buffer, offset);
        outPos += n;
        return n;
    }

    private boolean isSpace(char c) {
        return c == ' ' || (c == '\t' && delimiter != '\t');
    }

    private void accept(char c) {
        switch (state) {
            case CELL_START -> {
                if (isSpace(c) && held.length() < MAX_HELD) {
                    held.append(c);
                    return;
                }
                if (c == '"') {
                    held.setLength(0);
                    state = State.QUOTED;
                } else {
                    out.append(held);
                    held.setLength(0);
                    state = c == delimiter || c == '\n' || c == '\r' ? State.CELL_START : State.UNQUOTED;
                }
                out.append(c);
            }
            case UNQUOTED -> {
                if (c == delimiter || c == '\n' || c == '\r') {
                    state = State.CELL_START;
                }
                out.append(c);
            }
            case QUOTED -> {
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                }
                out.append(c);
            }
            case QUOTE_IN_QUOTED -> {
                if (c == '"') {
                    state = State.QUOTED;
                    out.append(c);
                } else {
                    state = State.AFTER_QUOTE;
                    accept(c);
                }
            }
            case AFTER_QUOTE -> {
                if (isSpace(c) && held.length() < MAX_HELD) {
                    held.append(c);
                    return;
                }
                if (c == delimiter || c == '\n' || c == '\r') {
                    held.setLength(0);
                    state = State.CELL_START;
                } else {
                    out.append(held);
                    held.setLength(0);
                    state = State.UNQUOTED;
                }
                out.append(c);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
