package dev.sluice.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Options of an import job. An import is all or nothing: when more records fail than
 * {@code errorThreshold} allows, the dataset is left as it was and the batch is {@code failed}.
 *
 * @param dataset        the dataset to load; required
 * @param importType     null for the server's default ({@link ImportType#UPDATE})
 * @param errorThreshold a count of records ({@code "100"}, 0 = no limit) or a percentage ({@code "5%"});
 *                       null for no limit
 * @param source         how to read the file; null to let the server sniff it (no header row assumed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportOptions(String dataset, ImportType importType, String errorThreshold, Source source)
        implements JobOptions {

    public ImportOptions {
        Objects.requireNonNull(dataset, "dataset");
        if (errorThreshold != null && !errorThreshold.strip().matches("\\d+(\\.\\d+)?%|\\d+")) {
            throw new IllegalArgumentException("errorThreshold is a count like \"100\" or a percentage like \"5%\", was '"
                    + errorThreshold + "'");
        }
    }

    /** Loads into {@code dataset} with the server's defaults. */
    public static ImportOptions of(String dataset) {
        return new ImportOptions(dataset, null, null, null);
    }

    public ImportOptions withImportType(ImportType type) {
        return new ImportOptions(dataset, type, errorThreshold, source);
    }

    public ImportOptions withErrorThreshold(String threshold) {
        return new ImportOptions(dataset, importType, threshold, source);
    }

    public ImportOptions withSource(Source source) {
        return new ImportOptions(dataset, importType, errorThreshold, source);
    }

    @Override
    @JsonIgnore
    public Operation operation() {
        return Operation.IMPORT;
    }

    /**
     * How the file is read.
     *
     * @param headers   whether the first record is a header row (the server assumes not)
     * @param separator one of {@code ,} {@code \t} {@code |} {@code ;}; null to sniff it
     * @param mappings  dataset column to source column, each a one-entry map to a 0-based index or a header
     *                  name, e.g. {@code [{"sku": 0}, {"name": "Title"}]}; empty to match header names (or
     *                  take columns in order without a header)
     * @param uri       a file for the server to fetch (http, https, ftp) instead of an upload; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Source(Boolean headers, String separator, List<Map<String, Object>> mappings, String uri) {

        public Source {
            mappings = mappings == null ? List.of() : List.copyOf(mappings);
        }

        /** A file with or without a header row, other settings left to the server. */
        public static Source headers(boolean headers) {
            return new Source(headers, null, List.of(), null);
        }
    }
}
