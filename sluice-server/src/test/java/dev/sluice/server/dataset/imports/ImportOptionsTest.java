package dev.sluice.server.dataset.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.core.dataset.Schema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The import options and the error threshold policy, without a server. */
class ImportOptionsTest {

    private static final Schema SCHEMA = new Schema(List.of(new Column("sku", ColumnType.STRING, true),
            new Column("name", ColumnType.STRING, false), new Column("price", ColumnType.DECIMAL, false)),
            List.of("sku"));

    @Test
    void defaults_follow_the_seed() {
        ImportOptions options = ImportOptions.parse(Map.of("dataset", "products"));

        assertThat(options.importType()).isEqualTo(ImportType.UPDATE);
        assertThat(options.errorThreshold()).isEqualTo(ErrorThreshold.NONE);
        assertThat(options.headers()).isFalse();
        assertThat(options.separator()).isNull();
        assertThat(options.mappings()).isEmpty();
    }

    @Test
    void seed_payload_parses_in_both_spellings() {
        Map<String, Object> camel = Map.of("dataset", "products", "errorThreshold", 100, "importType", "replace",
                "source", Map.of("headers", false, "separator", "\t",
                        "mappings", List.of(Map.of("sku", 0), Map.of("price", 2))));
        Map<String, Object> snake = Map.of("dataset", "products", "error_threshold", "5%", "import_type", "ignore");

        ImportOptions a = ImportOptions.parse(camel);
        ImportOptions b = ImportOptions.parse(snake);

        assertThat(a.importType()).isEqualTo(ImportType.REPLACE);
        assertThat(a.errorThreshold()).isEqualTo(new ErrorThreshold(100, null));
        assertThat(a.separator()).isEqualTo('\t');
        assertThat(a.sources(SCHEMA, null)).containsExactly(0, -1, 2);
        assertThat(a.maps("name")).isFalse();
        assertThat(b.importType()).isEqualTo(ImportType.IGNORE);
        assertThat(b.errorThreshold().percent()).isEqualByComparingTo("5");
    }

    @Test
    void header_names_map_trimmed_and_in_any_case() {
        ImportOptions byHeader = ImportOptions.parse(Map.of("dataset", "d", "source",
                Map.of("headers", true, "mappings", List.of(Map.of("sku", "SKU "), Map.of("name", "Title")))));
        ImportOptions implicit = ImportOptions.parse(Map.of("dataset", "d", "source", Map.of("headers", true)));

        ImportOptions quotedIndex = ImportOptions.parse(Map.of("dataset", "d", "source",
                Map.of("mappings", List.of(Map.of("sku", "1")))));

        assertThat(quotedIndex.sources(SCHEMA, null)).containsExactly(1, -1, -1);
        assertThat(byHeader.sources(SCHEMA, List.of("Title", "sku"))).containsExactly(1, 0, -1);
        assertThat(implicit.sources(SCHEMA, List.of("Price", "SKU", "other"))).containsExactly(1, -1, 0);
        assertThatThrownBy(() -> byHeader.sources(SCHEMA, List.of("sku"))).hasMessageContaining("'Title'");
    }

    @Test
    void invalid_options_are_refused_with_the_reason() {
        assertThatThrownBy(() -> ImportOptions.parse(Map.of())).hasMessageContaining("options.dataset");
        assertThatThrownBy(() -> ImportOptions.parse(Map.of("dataset", "d", "importType", "merge")))
                .hasMessageContaining("ignore, update, replace");
        assertThatThrownBy(() -> ImportOptions.parse(Map.of("dataset", "d", "source", Map.of("separator", ":"))))
                .hasMessageContaining("separator");
        assertThatThrownBy(() -> ImportOptions.parse(Map.of("dataset", "d", "source",
                Map.of("mappings", List.of(Map.of("sku", "SKU")))))).hasMessageContaining("source.headers is false");
        assertThatThrownBy(() -> ImportOptions.parse(Map.of("dataset", "d", "source",
                Map.of("mappings", List.of(Map.of("sku", 0), Map.of("sku", 1)))))).hasMessageContaining("twice");
        assertThatThrownBy(() -> ImportOptions.parse(Map.of("dataset", "d", "source",
                Map.of("mappings", List.of(Map.of("colour", 0))))).checkAgainst(SCHEMA))
                .hasMessageContaining("'colour'");
    }

    @Test
    void count_threshold_is_exceeded_only_above_the_count_and_zero_never() {
        assertThat(ErrorThreshold.parse(2).exceededBy(2, 10)).isFalse();
        assertThat(ErrorThreshold.parse(2).exceededBy(3, 10)).isTrue();
        assertThat(ErrorThreshold.parse("2").exceededBy(3, 10)).isTrue();
        assertThat(ErrorThreshold.parse(0).exceededBy(10, 10)).isFalse();
        assertThat(ErrorThreshold.parse(null).exceededBy(10, 10)).isFalse();
    }

    @Test
    void percent_threshold_compares_exactly() {
        ErrorThreshold quarter = ErrorThreshold.parse("25%");

        assertThat(quarter.exceededBy(1, 4)).isFalse();
        assertThat(quarter.exceededBy(2, 7)).isTrue();
        assertThat(ErrorThreshold.parse(" 2.5 %").percent()).isEqualByComparingTo(new BigDecimal("2.5"));
        assertThat(quarter.describe()).isEqualTo("25%");
    }

    @Test
    void invalid_thresholds_are_refused() {
        assertThatThrownBy(() -> ErrorThreshold.parse("0%")).hasMessageContaining("above 0%");
        assertThatThrownBy(() -> ErrorThreshold.parse("100%")).hasMessageContaining("below 100%");
        assertThatThrownBy(() -> ErrorThreshold.parse(-1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> ErrorThreshold.parse(1.5)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ErrorThreshold.parse("lots")).hasMessageContaining("whole number");
    }

    @Test
    void unknown_option_keys_are_refused_at_both_levels_and_the_seed_keys_pass() {
        ImportOptions.checkKeys(Map.of("dataset", "d", "importType", "update", "errorThreshold", "5%",
                "source", Map.of("headers", true, "separator", ",", "mappings", List.of(), "uri", "http://x/y.csv")));

        assertThatThrownBy(() -> ImportOptions.checkKeys(Map.of("dataset", "d", "pad", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown import option 'pad'");
        assertThatThrownBy(() -> ImportOptions.checkKeys(Map.of("source", Map.of("encoding", "utf-8"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown import option 'source.encoding'");
    }

    @Test
    void a_mapping_index_outside_0_to_2_pow_31_is_refused_naming_the_mapping() {
        for (Object index : List.of(4_294_967_296L, -1, new java.math.BigInteger("99999999999999999999999"))) {
            assertThatThrownBy(() -> ImportOptions.parse(Map.of("source", Map.of("mappings",
                    List.of(Map.of("zip", index))))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapping 'zip'");
        }
    }
}
