package dev.sluice.core.dataset;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The types a dataset column may have, each with the one parser that turns a text cell into its value.
 * Values are {@code String}, {@code Long}, {@code BigDecimal}, {@code Boolean}, {@code LocalDate} or
 * {@code OffsetDateTime} (UTC).
 */
public enum ColumnType {
    /** Any text. */
    STRING,
    /** A whole number that fits in 64 bits. */
    INTEGER,
    /**
     * An exact decimal number, e.g. {@code 12.50} or {@code 1.5e3}, with at most {@value #DECIMAL_MAX_DIGITS}
     * digits before the point and {@value #DECIMAL_MAX_DIGITS} after it once written out.
     */
    DECIMAL,
    /** {@code true/false}, {@code yes/no}, {@code 1/0}, {@code y/n}, {@code t/f}, any case. */
    BOOLEAN,
    /** An ISO-8601 calendar date, {@code 2026-11-23}. */
    DATE,
    /** An ISO-8601 instant with offset, {@code 2026-11-23T08:00:00Z}; a local date-time is taken as UTC. */
    TIMESTAMP,
    /** An email address: text holding exactly one {@code @} with something on both sides (full checks are verify's job). */
    EMAIL;

    /**
     * The most digits a decimal may have before its point, and the most after it. An exponent is a few
     * characters of input but its written-out form is as long as its value: {@code 1e999999} is a million
     * digits to store, to compare and to parse back (quadratic), so the bound applies to the value, not the text.
     */
    public static final int DECIMAL_MAX_DIGITS = 1000;

    /** Longer decimal text is refused before it is parsed: all digits, a sign, a point and an exponent. */
    private static final int DECIMAL_MAX_TEXT = 2 * DECIMAL_MAX_DIGITS + 16;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ColumnType fromWire(String value) {
        for (ColumnType type : values()) {
            if (type.wire().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + value + "'; use one of "
                + Arrays.stream(values()).map(ColumnType::wire).collect(Collectors.joining(", ")));
    }

    /**
     * The value of a non-blank cell (trimmed first), or {@link InvalidValueException} saying what was
     * expected. Blank cells are the caller's business (null, or a required-column error).
     */
    public Object parse(String text) {
        String cell = text.strip();
        try {
            return switch (this) {
                case STRING -> text;
                case INTEGER -> Long.parseLong(cell.startsWith("+") ? cell.substring(1) : cell);
                case DECIMAL -> parseDecimal(cell);
                case BOOLEAN -> parseBoolean(cell);
                case DATE -> parseDate(cell);
                case TIMESTAMP -> parseTimestamp(cell);
                case EMAIL -> parseEmail(cell);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidValueException("'" + abbreviate(cell) + "' is not a valid " + wire());
        }
    }

    private static BigDecimal parseDecimal(String cell) {
        if (cell.length() > DECIMAL_MAX_TEXT) {
            throw new InvalidValueException("'" + abbreviate(cell) + "' is not a valid decimal: longer than "
                    + DECIMAL_MAX_TEXT + " characters");
        }
        BigDecimal value = new BigDecimal(cell);
        // precision - scale is the count of digits before the point (negative for 0.000x); scale the count after
        if ((long) value.precision() - value.scale() > DECIMAL_MAX_DIGITS || value.scale() > DECIMAL_MAX_DIGITS) {
            throw new InvalidValueException("'" + abbreviate(cell) + "' is not a valid decimal: use at most "
                    + DECIMAL_MAX_DIGITS + " digits before the point and " + DECIMAL_MAX_DIGITS + " after it");
        }
        return value;
    }

    /**
     * An ISO date. The plain {@code yyyy-mm-dd} form, nearly every date a file holds, is read digit by digit: the
     * JDK's formatter builds a map of fields per value, a tenth of an import's chunk work. Anything else (a signed
     * or longer year) goes to {@link LocalDate#parse}; both refuse what the other refuses.
     */
    private static LocalDate parseDate(String cell) {
        if (cell.length() != 10 || cell.charAt(4) != '-' || cell.charAt(7) != '-') {
            return LocalDate.parse(cell);
        }
        int year = digits(cell, 0, 4);
        int month = digits(cell, 5, 7);
        int day = digits(cell, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return LocalDate.parse(cell);
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (java.time.DateTimeException e) {
            throw new DateTimeParseException(e.getMessage(), cell, 0, e);
        }
    }

    /** The number the ASCII digits from {@code from} to {@code to} spell, or -1 if one is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Boolean parseBoolean(String cell) {
        return switch (cell.toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "f", "no", "n", "0" -> Boolean.FALSE;
            default -> throw new InvalidValueException("'" + abbreviate(cell) + "' is not a valid boolean");
        };
    }

    private static OffsetDateTime parseTimestamp(String cell) {
        try {
            return OffsetDateTime.parse(cell).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return java.time.LocalDateTime.parse(cell).atOffset(ZoneOffset.UTC);
        }
    }

    private static String parseEmail(String cell) {
        int at = cell.indexOf('@');
        if (at <= 0 || at != cell.lastIndexOf('@') || at == cell.length() - 1) {
            throw new InvalidValueException("'" + abbreviate(cell) + "' is not an email address");
        }
        return cell;
    }

    private static String abbreviate(String cell) {
        return cell.length() <= 40 ? cell : cell.substring(0, 37) + "...";
    }
}
