package dev.sluice.server.compat.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A submitted export request, checked for shape: {@code dataset} (a name), optional {@code fields} and
 * {@code filter}, which go to the native export as they are (it checks them against the dataset).
 *
 * @param dataset the dataset to export
 * @param fields the columns to write, as sent (an array of names), or null for every column
 * @param filter column to the value it must equal, as sent (an object), or null for every record
 */
record ExportRequest(String dataset, Object fields, Object filter) {

    static final String DATASET = "dataset";
    static final String FIELDS = "fields";
    static final String FILTER = "filter";

    private static final Set<String> KNOWN = Set.of(DATASET, FIELDS, FILTER);

    /** Reads a parsed JSON body; {@link BulkExportException} ({@code invalid_request}) says what is wrong. */
    static ExportRequest of(Object body) {
        if (!(body instanceof Map<?, ?> map)) {
            throw BulkExportException.invalid("the body must be a JSON object: {\"dataset\": \"<name>\", "
                    + "\"fields\": [\"<column>\", ...], \"filter\": {\"<column>\": <value>}} (fields and filter optional)");
        }
        for (Object key : map.keySet()) {
            if (!KNOWN.contains(String.valueOf(key))) {
                throw BulkExportException.invalid("unknown field '" + key + "'; an export request takes dataset, "
                        + "fields and filter");
            }
        }
        if (!(map.get(DATASET) instanceof String dataset) || dataset.isBlank()) {
            throw BulkExportException.invalid("dataset must name the dataset to export, e.g. {\"dataset\": \"people\"}");
        }
        return new ExportRequest(dataset.strip(), map.get(FIELDS), map.get(FILTER));
    }

    /** The options of the native export job. */
    Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(DATASET, dataset);
        if (fields != null) {
            options.put(FIELDS, fields);
        }
        if (filter != null) {
            options.put(FILTER, filter);
        }
        return options;
    }
}
