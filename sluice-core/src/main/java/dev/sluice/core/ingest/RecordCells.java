package dev.sluice.core.ingest;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import java.util.Arrays;
import java.util.List;

/**
 * The cells of the record FastCSV is reading, copied into one array that every record reuses: the loader writes them
 * to a chunk input as they are and makes a string of the key cell alone, where FastCSV's own record would have made
 * a string of every cell (and a list of them) for each record. Holds one record at a time, so {@link #buildRecord}
 * answers itself. The limits are those of FastCSV's record handler, with its messages, so that a record too wide or
 * too long fails as it did when the loader read FastCSV's records. Not thread-safe.
 */
final class RecordCells extends AbstractBaseCsvCallbackHandler<RecordCells> {

    /** Most cells one record may have (FastCSV's record handler's default). */
    static final int MAX_CELLS = 16_384;
    /** Most characters one record may hold (FastCSV's record handler's default). */
    static final int MAX_RECORD_CHARS = 64 * 1024 * 1024;

    private char[] chars = new char[1024];
    /** The end of each cell in {@link #chars}; a cell starts where the one before ends. */
    private int[] ends = new int[32];
    private int count;
    private int used;

    /** The cells of {@code values}, as a record of them would hold them (for writing a chunk input from strings). */
    static RecordCells of(List<String> values) {
        RecordCells cells = new RecordCells();
        for (String value : values) {
            cells.add(value.toCharArray(), 0, value.length());
        }
        return cells;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
        count = 0;
        used = 0;
    }

    @Override
    protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
        if (count == MAX_CELLS) {
            throw new CsvParseException("Record starting at line %d has surpassed the maximum limit of %d fields"
                    .formatted(getStartingLineNumber(), MAX_CELLS));
        }
        if (len > MAX_RECORD_CHARS - used) {
            throw new CsvParseException(("Field at index %d in record starting at line %d exceeds the max record size"
                    + " of %d characters").formatted(fieldIdx, getStartingLineNumber(), MAX_RECORD_CHARS));
        }
        add(buf, offset, len);
    }

    private void add(char[] buf, int offset, int len) {
        if (used + len > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(used + len, chars.length * 2));
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        System.arraycopy(buf, offset, chars, used, len);
        used += len;
        ends[count++] = used;
    }

    @Override
    protected RecordCells buildRecord() {
        return this;
    }

    /** The number of cells. */
    int size() {
        return count;
    }

    /** The characters of every cell, one after the other; cell {@code i} runs from {@link #start} to {@link #end}. */
    char[] chars() {
        return chars;
    }

    int start(int cell) {
        return cell == 0 ? 0 : ends[cell - 1];
    }

    int end(int cell) {
        return ends[cell];
    }

    /** The cells as strings, in an immutable list of their own (for the sample, which keeps its records). */
    List<String> strings() {
        String[] strings = new String[count];
        for (int i = 0; i < count; i++) {
            strings[i] = new String(chars, start(i), end(i) - start(i));
        }
        return List.of(strings);
    }

    /**
     * Whether every cell is empty or white space as {@link String#isBlank} tells it (the {@code ,,,} rows spreadsheets
     * leave behind). White space is all in the basic plane, so looking at each char tells the same as each code
     * point.
     */
    boolean isBlank() {
        for (int i = 0; i < used; i++) {
            if (!Character.isWhitespace(chars[i])) {
                return false;
            }
        }
        return true;
    }
}
