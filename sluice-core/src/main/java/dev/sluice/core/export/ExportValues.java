package dev.sluice.core.export;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one canonical text of a typed value, shared by every format: numbers plain (no exponent, no
 * grouping), booleans {@code true}/{@code false}, dates {@code 2026-11-23}, timestamps ISO-8601 in UTC
 * ({@code 2026-11-23T08:00:00Z}).
 */
final class ExportValues {

    private ExportValues() {
    }

    /** The canonical text, or null for null. */
    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case BigDecimal d -> d.toPlainString();
            case Double d -> BigDecimal.valueOf(d).toPlainString();
            case Float f -> new BigDecimal(f.toString()).toPlainString();
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case LocalDate d -> d.toString();
            case OffsetDateTime t -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
            case Instant i -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atOffset(ZoneOffset.UTC));
            default -> value.toString();
        };
    }

    /** Whether the value is text a spreadsheet might read as a formula (numbers and dates never are). */
    static boolean isText(Object value) {
        return value instanceof String || value instanceof CharSequence;
    }
}
