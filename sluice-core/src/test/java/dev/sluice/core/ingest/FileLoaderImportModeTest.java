package dev.sluice.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loader without a required column, with header and delimiter given by the caller (import). */
class FileLoaderImportModeTest {

    private final MemorySink sink = new MemorySink();

    private LoadSummary load(LoadOptions options, String text) throws Exception {
        return new FileLoader(options).load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), sink);
    }

    @Test
    void headerless_file_without_addresses_loads_every_record_as_data() throws Exception {
        // given a file the email probe would refuse
        String file = "1,Ann,12.50\n2,Bob,3\n";

        // when
        LoadSummary summary = load(LoadOptions.forImport(1000, Long.MAX_VALUE, false, ','), file);

        // then
        assertThat(summary).isEqualTo(new LoadSummary(List.of("column_1", "column_2", "column_3"), -1, 2, 1,
                "UTF-8", ',', false));
        assertThat(sink.allRecords()).containsExactly(List.of("1", "Ann", "12.50"), List.of("2", "Bob", "3"));
    }

    @Test
    void header_true_takes_the_first_record_as_names_without_a_required_column() throws Exception {
        // given
        String file = "id;Name\n1;Ann\n";

        // when
        LoadSummary summary = load(LoadOptions.forImport(1000, Long.MAX_VALUE, true, null), file);

        // then the delimiter is sniffed and the header kept as names
        assertThat(summary).isEqualTo(new LoadSummary(List.of("id", "Name"), -1, 1, 1, "UTF-8", ';', true));
        assertThat(sink.allRecords()).containsExactly(List.of("1", "Ann"));
    }

    @Test
    void given_delimiter_wins_over_the_sniffed_one() throws Exception {
        // given a pipe file whose cells hold commas
        String file = "a,b|c,d\ne,f|g,h\n";

        // when
        LoadSummary summary = load(LoadOptions.forImport(1000, Long.MAX_VALUE, false, '|'), file);

        // then
        assertThat(summary.delimiter()).isEqualTo('|');
        assertThat(sink.allRecords()).containsExactly(List.of("a,b", "c,d"), List.of("e,f", "g,h"));
    }

    @Test
    void null_header_for_import_means_no_header() throws Exception {
        // when
        LoadSummary summary = load(LoadOptions.forImport(1, Long.MAX_VALUE, null, '\t'), "x\ty\nz\tw\n");

        // then two chunks of one record, the first record being data
        assertThat(summary.header()).isFalse();
        assertThat(summary.records()).isEqualTo(2);
        assertThat(summary.chunks()).isEqualTo(2);
    }

    @Test
    void header_only_file_is_refused_as_no_records() {
        assertThatThrownBy(() -> load(LoadOptions.forImport(1000, Long.MAX_VALUE, true, ','), "id,name\n"))
                .isInstanceOf(MalformedFileException.class)
                .satisfies(e -> assertThat(((MalformedFileException) e).reason()).isEqualTo(MalformedReason.NO_RECORDS));
    }

    @Test
    void explicit_header_with_a_required_column_still_demands_it() {
        LoadOptions options = new LoadOptions("email", 1000, Long.MAX_VALUE, true, ',');

        assertThatThrownBy(() -> load(options, "name,mail\nAnn,ann@example.com\n"))
                .isInstanceOf(MalformedFileException.class)
                .satisfies(e -> assertThat(((MalformedFileException) e).reason())
                        .isEqualTo(MalformedReason.MISSING_COLUMN));
    }

    @Test
    void options_refuse_an_unknown_delimiter() {
        assertThatThrownBy(() -> LoadOptions.forImport(1000, Long.MAX_VALUE, true, ':'))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delimiter");
    }
}
