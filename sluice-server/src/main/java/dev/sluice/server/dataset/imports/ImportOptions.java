package dev.sluice.server.dataset.imports;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.job.OperationOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of an import job, read from the job's {@code options} object with the seed's names (camelCase,
 * snake_case accepted too):
 * <pre>{@code
 * {"dataset": "products", "importType": "update", "errorThreshold": 100 | "5%",
 *  "source": {"headers": false, "separator": ",", "mappings": [{"sku": 0}, {"name": "Title"}], "uri": "..."}}
 * }</pre>
 *
 * @param dataset        name of the dataset in the job's account; required
 * @param importType     default {@link ImportType#DEFAULT} ({@code update})
 * @param errorThreshold default {@link ErrorThreshold#NONE} (no check)
 * @param headers        whether the file's first record is a header; default false, as the seed says
 * @param separator      one of {@code , \t | ;}; null when not given, and then sniffed from the file
 * @param mappings       dataset field to source column, in the order given; empty: header names equal to
 *                       dataset columns when {@code headers}, else the dataset's columns in order
 * @param uri            {@code source.uri} (sealed once stored), the file fetched as the job's first batch; null
 *                       when files are uploaded
 */
public record ImportOptions(String dataset, ImportType importType, ErrorThreshold errorThreshold, boolean headers,
        Character separator, List<Mapping> mappings, String uri) implements OperationOptions {

    /** The separators the seed allows. */
    static final String SEPARATORS = ",\t|;";

    /**
     * One dataset field taken from a source column, by 0-based {@code index} or by {@code header} name
     * (trimmed, any case); exactly one of the two is set.
     */
    public record Mapping(String field, Integer index, String header) {
        public Mapping {
            if ((index == null) == (header == null)) {
                throw new IllegalArgumentException("a mapping takes a column index or a header name");
            }
            if (index != null && index < 0) {
                throw new IllegalArgumentException("mapping '" + field + "': a column index is 0 or more, was " + index);
            }
        }
    }

    public ImportOptions {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("an import needs options.dataset: the name of the dataset to load");
        }
        mappings = List.copyOf(mappings);
        Set<String> fields = new HashSet<>();
        for (Mapping mapping : mappings) {
            if (!fields.add(mapping.field())) {
                throw new IllegalArgumentException("source.mappings names the field '" + mapping.field() + "' twice");
            }
            if (mapping.header() != null && !headers) {
                throw new IllegalArgumentException("mapping '" + mapping.field() + "' names the header '"
                        + mapping.header() + "', but source.headers is false; map by 0-based column index, or set "
                        + "source.headers to true");
            }
        }
    }

    /** The option keys an import takes (both spellings of the seed's camelCase names). */
    private static final Set<String> KEYS = Set.of("dataset", "importType", "import_type", "errorThreshold",
            "error_threshold", "source");
    /** The keys of {@code options.source}. */
    private static final Set<String> SOURCE_KEYS = Set.of("headers", "separator", "mappings", "uri");

    /**
     * Refuses option keys an import does not know, so nothing unchecked is stored with a new job
     * ({@link IllegalArgumentException} naming the first). Only for new jobs: stored options are not rechecked.
     */
    public static void checkKeys(Map<String, Object> options) {
        if (options == null) {
            return;
        }
        for (String key : options.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown import option '" + shorten(key)
                        + "'; use dataset, importType, errorThreshold and source");
            }
        }
        if (options.get("source") instanceof Map<?, ?> source) {
            for (Object key : source.keySet()) {
                if (!SOURCE_KEYS.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException("unknown import option 'source." + shorten(String.valueOf(key))
                            + "'; use source.headers, source.separator, source.mappings and source.uri");
                }
            }
        }
    }

    private static String shorten(String key) {
        return key.length() > 40 ? key.substring(0, 40) + "..." : key;
    }

    /** Reads and checks the options object; {@link IllegalArgumentException} says what is wrong. */
    public static ImportOptions parse(Map<String, Object> options) {
        Map<String, Object> all = options == null ? Map.of() : options;
        Object dataset = all.get("dataset");
        if (dataset != null && !(dataset instanceof String)) {
            throw new IllegalArgumentException("options.dataset must be the name of a dataset");
        }
        Object type = first(all, "importType", "import_type");
        ImportType importType = type == null ? ImportType.DEFAULT : ImportType.fromWire(String.valueOf(type));
        ErrorThreshold threshold = ErrorThreshold.parse(first(all, "errorThreshold", "error_threshold"));
        Object sourceValue = all.get("source");
        if (sourceValue != null && !(sourceValue instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("options.source must be an object {headers, separator, mappings, uri}");
        }
        Map<?, ?> source = sourceValue == null ? Map.of() : (Map<?, ?>) sourceValue;
        boolean headers = headers(source.get("headers"));
        Character separator = separator(source.get("separator"));
        List<Mapping> mappings = mappings(source.get("mappings"));
        if (!headers) {
            // without a header a quoted "2" can only mean the column index
            mappings = mappings.stream().map(m -> m.header() != null && m.header().strip().matches("\\d{1,9}")
                    ? new Mapping(m.field(), Integer.parseInt(m.header().strip()), null) : m).toList();
        }
        Object uri = source.get("uri");
        return new ImportOptions((String) dataset, importType, threshold, headers, separator, mappings,
                uri == null ? null : String.valueOf(uri));
    }

    @Override
    public Optional<String> sourceUri() {
        return Optional.ofNullable(uri);
    }

    /** Checks that every mapped field is a column of the dataset. */
    public void checkAgainst(Schema schema) {
        for (Mapping mapping : mappings) {
            if (schema.column(mapping.field()).isEmpty()) {
                throw new IllegalArgumentException("source.mappings names '" + mapping.field()
                        + "', which is not a column of dataset " + dataset + " (columns: "
                        + schema.columns().stream().map(Column::name).toList() + ")");
            }
        }
    }

    /** Whether the dataset column is filled from the file (always true without explicit mappings). */
    public boolean maps(String column) {
        return mappings.isEmpty() || mappings.stream().anyMatch(m -> m.field().equals(column));
    }

    /**
     * For each dataset column in schema order, the 0-based source field it is read from, or -1 when unmapped.
     * {@code fileColumns} are the names the loader found (the header, when there is one).
     *
     * @throws IllegalArgumentException when a mapping names a header the file does not have
     */
    public int[] sources(Schema schema, List<String> fileColumns) {
        int[] sources = new int[schema.columns().size()];
        Arrays.fill(sources, -1);
        List<String> names = fileColumns == null ? List.of()
                : fileColumns.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
        for (int c = 0; c < sources.length; c++) {
            String column = schema.columns().get(c).name();
            if (mappings.isEmpty()) {
                sources[c] = headers ? names.indexOf(column) : c;
                continue;
            }
            for (Mapping mapping : mappings) {
                if (!mapping.field().equals(column)) {
                    continue;
                }
                if (mapping.index() != null) {
                    sources[c] = mapping.index();
                } else {
                    int found = names.indexOf(mapping.header().strip().toLowerCase(Locale.ROOT));
                    if (found < 0) {
                        throw new IllegalArgumentException("mapping '" + column + "' names the header '"
                                + mapping.header() + "', which the file does not have (header: " + fileColumns + ")");
                    }
                    sources[c] = found;
                }
            }
        }
        return sources;
    }

    private static Object first(Map<?, ?> map, String name, String alternative) {
        Object value = map.get(name);
        return value != null ? value : map.get(alternative);
    }

    private static boolean headers(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("source.headers must be true or false, was '" + value + "'");
    }

    private static Character separator(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        if (text.equals("\\t") || text.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (text.length() != 1 || SEPARATORS.indexOf(text.charAt(0)) < 0) {
            throw new IllegalArgumentException("source.separator must be one of \",\", \"\\t\", \"|\", \";\", was '"
                    + text.replace("\t", "\\t") + "'");
        }
        return text.charAt(0);
    }

    private static List<Mapping> mappings(Object value) {
        List<Mapping> mappings = new ArrayList<>();
        if (value == null) {
            return mappings;
        }
        if (value instanceof Map<?, ?> single) {
            single.forEach((field, column) -> mappings.add(mapping(field, column)));
            return mappings;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("source.mappings must be a list like [{\"field\": 0}, "
                    + "{\"other\": \"Header name\"}]");
        }
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> map) || map.size() != 1) {
                throw new IllegalArgumentException("each entry of source.mappings is one {\"field\": column} pair, "
                        + "was " + entry);
            }
            map.forEach((field, column) -> mappings.add(mapping(field, column)));
        }
        return mappings;
    }

    private static Mapping mapping(Object field, Object column) {
        String name = String.valueOf(field);
        if (column instanceof Integer || column instanceof Long || column instanceof Short
                || column instanceof java.math.BigInteger) {
            Number index = (Number) column;
            if (column instanceof java.math.BigInteger big && big.bitLength() >= 63
                    || index.longValue() < 0 || index.longValue() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("mapping '" + name + "' gives the column index " + column
                        + "; a 0-based column index is from 0 to " + Integer.MAX_VALUE);
            }
            return new Mapping(name, index.intValue(), null);
        }
        if (column instanceof String header && !header.isBlank()) {
            return new Mapping(name, null, header);
        }
        throw new IllegalArgumentException("mapping '" + name + "' must give a 0-based column index or a header "
                + "name, was " + column);
    }
}
