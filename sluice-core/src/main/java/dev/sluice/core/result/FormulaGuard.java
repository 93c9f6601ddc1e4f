package dev.sluice.core.result;

/**
 * The one rule against spreadsheet formula injection (OWASP "CSV injection") for every CSV Sluice writes:
 * a text cell starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or CR gets a leading single quote,
 * so {@code =HYPERLINK(...)} is written {@code '=HYPERLINK(...)} and a spreadsheet shows it as text.
 */
public final class FormulaGuard {

    private FormulaGuard() {
    }

    /** {@code text} with a leading {@code '} when a spreadsheet would evaluate it, else {@code text} itself. */
    public static String neutralise(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return starts(text.charAt(0)) ? "'" + text : text;
    }

    /** Whether a cell starting with {@code first} (a character, or the first byte of its UTF-8) is neutralised. */
    static boolean starts(int first) {
        return switch (first) {
            case '=', '+', '-', '@', '\t', '\r' -> true;
            default -> false;
        };
    }
}
