package dev.sluice.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {

    @Test
    void decimals_with_an_exponent_are_parsed_exactly() {
        assertThat(ColumnType.DECIMAL.parse(" 1.5e3 ")).isEqualTo(new BigDecimal("1.5e3"));
        assertThat(((BigDecimal) ColumnType.DECIMAL.parse("-2.50")).toPlainString()).isEqualTo("-2.50");
    }

    @Test
    void decimals_at_the_bound_are_accepted_on_both_sides_of_the_point() {
        // given 1000 digits before the point and 1000 after it
        String integer = "9".repeat(ColumnType.DECIMAL_MAX_DIGITS);
        String fraction = "0." + "0".repeat(ColumnType.DECIMAL_MAX_DIGITS - 1) + "1";

        // then both are values
        assertThat(((BigDecimal) ColumnType.DECIMAL.parse(integer)).toPlainString()).isEqualTo(integer);
        assertThat(((BigDecimal) ColumnType.DECIMAL.parse(fraction)).toPlainString()).isEqualTo(fraction);
        assertThat(ColumnType.DECIMAL.parse("1e999")).isEqualTo(new BigDecimal("1e999"));
        assertThat(ColumnType.DECIMAL.parse("1e-1000")).isEqualTo(new BigDecimal("1e-1000"));
    }

    @Test
    void a_huge_exponent_is_refused_before_its_digits_are_written_out() {
        for (String cell : new String[]{"1e999999", "1E+1000", "-7e999999999", "0e999999", "1e-1001",
                "1e-999999999", "9".repeat(ColumnType.DECIMAL_MAX_DIGITS + 1)}) {
            assertThatThrownBy(() -> ColumnType.DECIMAL.parse(cell)).as(cell)
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("is not a valid decimal: use at most 1000 digits before the point");
        }
    }

    @Test
    void overlong_decimal_text_is_refused_without_parsing_it() {
        String cell = "0".repeat(5_000_000) + "1";

        assertThatThrownBy(() -> ColumnType.DECIMAL.parse(cell)).isInstanceOf(InvalidValueException.class)
                .hasMessage("'" + "0".repeat(37) + "...' is not a valid decimal: longer than 2016 characters");
    }

    @Test
    void dates_are_read_as_the_jdk_reads_iso_dates() {
        String[] cells = {"2026-01-02", "2024-02-29", "2023-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
            "2026-01-00", "0000-01-01", "9999-12-31", "+12026-01-02", "-0001-01-01", "2026-1-02", "2026/01/02",
            "2026-01-0x", "२०२६-01-02", "20260102", "2026-01-02T00:00", " 2026-01-02 "};
        for (String cell : cells) {
            Object expected;
            try {
                expected = LocalDate.parse(cell.strip());
            } catch (DateTimeParseException e) {
                expected = null;
            }
            if (expected == null) {
                assertThatThrownBy(() -> ColumnType.DATE.parse(cell)).as(cell)
                        .isInstanceOf(InvalidValueException.class)
                        .hasMessage("'" + cell.strip() + "' is not a valid date");
            } else {
                assertThat(ColumnType.DATE.parse(cell)).as(cell).isEqualTo(expected);
            }
        }
    }

    @Test
    void an_exponent_beyond_int_range_is_not_a_decimal() {
        assertThatThrownBy(() -> ColumnType.DECIMAL.parse("1e99999999999")).isInstanceOf(InvalidValueException.class)
                .hasMessage("'1e99999999999' is not a valid decimal");
    }
}
