package dev.sluice.server.export;

import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.job.OperationOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of an export job, parsed and checked for shape (whether the dataset, fields and job exist is
 * checked by {@link ExportProducer}). Exactly one source: {@code dataset} (with optional {@code fields},
 * all by default, and {@code filter}, column to value, all equal) or {@code job_id}.
 *
 * @param dataset the dataset to export, or null for a job's results
 * @param fields the columns to write, in this order; empty for every column in schema order
 * @param filter column to the value it must equal (JSON null: the column is empty), in the order given
 * @param format the file's format, or null when not given (the job's {@code output_format} then)
 * @param jobId the finished job whose results to export, or null for a dataset
 */
record ExportOptions(String dataset, List<String> fields, Map<String, Object> filter, ResultFormat format,
        String jobId) implements OperationOptions {

    static final String DATASET = "dataset";
    static final String FIELDS = "fields";
    static final String FILTER = "filter";
    static final String FORMAT = "format";
    static final String JOB_ID = "job_id";

    private static final Set<String> KNOWN = Set.of(DATASET, FIELDS, FILTER, FORMAT, JOB_ID);

    /** Parses the job's options; {@link IllegalArgumentException} says what is wrong. */
    static ExportOptions parse(Map<String, Object> options) {
        Map<String, Object> given = options == null ? Map.of() : options;
        for (String key : given.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown export option '" + key + "'; use dataset, fields, filter "
                        + "and format, or job_id");
            }
        }
        String dataset = text(given, DATASET);
        String jobId = text(given, JOB_ID);
        if ((dataset == null) == (jobId == null)) {
            throw new IllegalArgumentException("an export needs exactly one source: options.dataset (a dataset name) "
                    + "or options.job_id (a finished job of this account)");
        }
        ResultFormat format = null;
        if (given.get(FORMAT) != null) {
            format = ResultFormat.fromWire(text(given, FORMAT));
        }
        if (jobId != null) {
            if (given.containsKey(FIELDS) || given.containsKey(FILTER)) {
                throw new IllegalArgumentException("options.fields and options.filter apply to a dataset export, "
                        + "not to the export of a job's results");
            }
            return new ExportOptions(null, List.of(), Map.of(), format, jobId);
        }
        return new ExportOptions(dataset, fields(given.get(FIELDS)), filter(given.get(FILTER)), format, null);
    }

    /** The format to write: the option, or the job's output format. */
    ResultFormat formatOr(ResultFormat jobFormat) {
        return format != null ? format : jobFormat;
    }

    private static String text(Map<String, Object> options, String key) {
        Object value = options.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("options." + key + " must be a non-empty string");
        }
        return s.strip();
    }

    private static List<String> fields(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("options.fields must be a non-empty array of column names");
        }
        List<String> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Object field : list) {
            if (!(field instanceof String name)) {
                throw new IllegalArgumentException("options.fields must hold column names (strings), found " + field);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("options.fields names '" + name + "' twice");
            }
            fields.add(name);
        }
        return List.copyOf(fields);
    }

    private static Map<String, Object> filter(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("options.filter must be an object of column name to value");
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object v = entry.getValue();
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw new IllegalArgumentException("options.filter." + entry.getKey()
                        + " must be a single value (string, number, boolean or null)");
            }
            filter.put(String.valueOf(entry.getKey()), v);
        }
        return filter;
    }
}
