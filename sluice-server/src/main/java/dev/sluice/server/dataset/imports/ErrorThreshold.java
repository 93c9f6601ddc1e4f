package dev.sluice.server.dataset.imports;

import java.math.BigDecimal;

/**
 * When an import gives up: more failed records than {@code count}, or a larger share of failed records
 * than {@code percent}. {@link #NONE} (count 0) never gives up. Validated here so an invalid threshold
 * cannot exist.
 *
 * @param count   most failed records accepted; 0 means no check (ignored when {@code percent} is set)
 * @param percent most failed records accepted as a percentage of all records, above 0 and below 100; or null
 */
public record ErrorThreshold(long count, BigDecimal percent) {

    /** No check: the whole file is imported whatever fails. The seed's default. */
    public static final ErrorThreshold NONE = new ErrorThreshold(0, null);

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public ErrorThreshold {
        if (count < 0) {
            throw new IllegalArgumentException("errorThreshold must not be negative, was " + count);
        }
        if (percent != null && (percent.signum() <= 0 || percent.compareTo(HUNDRED) >= 0)) {
            throw new IllegalArgumentException("an errorThreshold percentage must be above 0% and below 100%, was "
                    + percent.toPlainString() + "%");
        }
    }

    /**
     * Parses the option: an integer count ({@code 100}, or {@code "100"}), or a quoted percentage
     * ({@code "5%"}, {@code "2.5%"}); null is {@link #NONE}.
     */
    public static ErrorThreshold parse(Object value) {
        if (value == null) {
            return NONE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return new ErrorThreshold(((Number) value).longValue(), null);
        }
        if (value instanceof Number) {
            throw new IllegalArgumentException("errorThreshold must be a whole number of records or a quoted "
                    + "percentage like \"5%\", was " + value);
        }
        if (value instanceof String text) {
            String trimmed = text.strip();
            try {
                if (trimmed.endsWith("%")) {
                    return new ErrorThreshold(0, new BigDecimal(trimmed.substring(0, trimmed.length() - 1).strip()));
                }
                return new ErrorThreshold(Long.parseLong(trimmed), null);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("errorThreshold must be a whole number of records or a quoted "
                + "percentage like \"5%\", was '" + value + "'");
    }

    /** Whether {@code failed} of {@code total} records is more than this threshold accepts. */
    public boolean exceededBy(long failed, long total) {
        if (percent != null) {
            return total > 0 && BigDecimal.valueOf(failed).multiply(HUNDRED)
                    .compareTo(percent.multiply(BigDecimal.valueOf(total))) > 0;
        }
        return count > 0 && failed > count;
    }

    /** The threshold as the option spells it: {@code 100} or {@code 5%}. */
    public String describe() {
        return percent != null ? percent.stripTrailingZeros().toPlainString() + "%" : String.valueOf(count);
    }
}
