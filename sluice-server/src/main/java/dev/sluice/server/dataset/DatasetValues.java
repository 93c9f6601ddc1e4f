package dev.sluice.server.dataset;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Typed values of dataset columns as JSON shows them. How each dialect stores them is the dialect's
 * ({@link dev.sluice.server.store.Dialect#toSql}, {@link dev.sluice.server.store.Dialect#fromSql}).
 */
public final class DatasetValues {

    private DatasetValues() {
    }

    /** The JSON form of a typed value: strings for dates, timestamps and decimals keep them exact. */
    public static Object toJson(Object value) {
        if (value instanceof BigDecimal || value instanceof LocalDate) {
            return value.toString();
        }
        if (value instanceof OffsetDateTime timestamp) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(timestamp);
        }
        return value;
    }
}
