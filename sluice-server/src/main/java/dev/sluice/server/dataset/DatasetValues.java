package dev.sluice.server.dataset;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.server.store.Dialect;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Typed values to and from a dialect's columns. PostgreSQL keeps native types; SQLite stores decimals,
 * dates and timestamps as canonical text (ISO-8601, UTC) and booleans as 0/1, so values compare and
 * round-trip exactly.
 */
public final class DatasetValues {

    private DatasetValues() {
    }

    /** The JDBC parameter for a typed value (null stays null). */
    public static Object toSql(Dialect dialect, ColumnType type, Object value) {
        if (value == null || dialect == Dialect.POSTGRESQL) {
            return value;
        }
        return switch (type) {
            case STRING, EMAIL, INTEGER -> value;
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case BOOLEAN -> ((Boolean) value) ? 1 : 0;
            case DATE -> value.toString();
            case TIMESTAMP -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC));
        };
    }

    /** The typed value of a column in the current row. */
    public static Object fromSql(Dialect dialect, Column column, ResultSet rs, String label) throws SQLException {
        ColumnType type = column.type();
        Object value;
        if (dialect == Dialect.POSTGRESQL) {
            value = switch (type) {
                case STRING, EMAIL -> rs.getString(label);
                case INTEGER -> rs.getLong(label);
                case DECIMAL -> rs.getBigDecimal(label);
                case BOOLEAN -> rs.getBoolean(label);
                case DATE -> rs.getObject(label, LocalDate.class);
                case TIMESTAMP -> rs.getObject(label, OffsetDateTime.class);
            };
        } else {
            value = switch (type) {
                case STRING, EMAIL, DATE, TIMESTAMP, DECIMAL -> rs.getString(label);
                case INTEGER -> rs.getLong(label);
                case BOOLEAN -> rs.getInt(label) != 0;
            };
        }
        if (rs.wasNull() || value == null) {
            return null;
        }
        if (dialect == Dialect.SQLITE) {
            value = switch (type) {
                case DECIMAL -> new BigDecimal((String) value);
                case DATE -> LocalDate.parse((String) value);
                case TIMESTAMP -> OffsetDateTime.parse((String) value);
                default -> value;
            };
        }
        if (value instanceof OffsetDateTime timestamp) {
            value = timestamp.withOffsetSameInstant(ZoneOffset.UTC);
        }
        return value;
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
