package dev.sluice.server.append;

import dev.sluice.core.append.MatchKey;
import dev.sluice.core.append.Normalizer;
import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.job.OperationOptions;
import dev.sluice.server.job.ResultOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of an append job, as the client gives them in the job's {@code options}:
 * <pre>{@code
 * {"dataset": "people",                                   // required, must exist in the account
 *  "match": ["first_name", "last_name", "address", "zip"], // required: dataset columns, also the input's names
 *  "match_map": {"surname": "last_name"},                 // optional: input column -> dataset column
 *  "fields": ["email"],                                   // required: dataset columns to append
 *  "normalize": {"zip": "zip"},                           // optional: dataset column -> generic|address|zip|email
 *  "escape_formulas": false}                              // optional: keep CSV cells raw (default true)
 * }</pre>
 *
 * <p>Parsed and checked against the dataset once, when the job is created ({@link #parse}); the worker reads
 * the stored options back without the dataset ({@link #read}) and checks them against the dataset as it is
 * when a chunk runs ({@link #plan}), since its columns may have changed since.
 *
 * @param dataset        the dataset's name
 * @param match          the dataset columns matched on, in order
 * @param matchMap       input column to dataset column, for the match columns named differently in the input
 * @param fields         the dataset columns appended, in order
 * @param normalize      dataset column to the wire name of its normalisation rule, when given
 * @param escapeFormulas whether CSV text cells of the result pass through the formula guard
 */
record AppendOptions(String dataset, List<String> match, Map<String, String> matchMap, List<String> fields,
        Map<String, String> normalize, boolean escapeFormulas) implements OperationOptions {

    static final String DATASET = "dataset";
    static final String MATCH = "match";
    static final String MATCH_MAP = "match_map";
    static final String FIELDS = "fields";
    static final String NORMALIZE = "normalize";

    private static final Set<String> KNOWN = Set.of(DATASET, MATCH, MATCH_MAP, FIELDS, NORMALIZE,
            ResultOptions.ESCAPE_FORMULAS);

    /**
     * What the options mean against one dataset schema.
     *
     * @param inputColumns the input column of each match column, in the order of {@code match}
     * @param rules        the normalisation rule of each match column (explicit, else by column type and name)
     */
    record Plan(List<String> inputColumns, List<Normalizer.Rule> rules) {

        MatchKey matchKey() {
            return new MatchKey(rules);
        }
    }

    /** Reads a new job's options and checks them against the dataset's schema; the message says what to fix. */
    static AppendOptions parse(Map<String, Object> options, Schema schema) {
        String dataset = datasetName(options);
        checkKeys(options);
        boolean escapeFormulas = ResultOptions.escapeFormulas(options);
        List<String> match = columns(options, MATCH, schema);
        List<String> fields = columns(options, FIELDS, schema);
        Map<String, String> matchMap = stringMap(options, MATCH_MAP);
        inputColumns(match, matchMap);
        AppendOptions parsed = new AppendOptions(dataset, match, matchMap, fields, stringMap(options, NORMALIZE),
                escapeFormulas);
        parsed.plan(schema);
        return parsed;
    }

    /** Reads the options stored with a job that {@link #parse} accepted, without the dataset. */
    static AppendOptions read(Map<String, Object> options) {
        return new AppendOptions(datasetName(options), names(options, MATCH), stringMap(options, MATCH_MAP),
                names(options, FIELDS), stringMap(options, NORMALIZE), ResultOptions.escapeFormulas(options));
    }

    /**
     * Checks the options against the dataset's schema as it is now; {@link IllegalArgumentException} says what
     * does not fit.
     */
    Plan plan(Schema schema) {
        for (String column : match) {
            column(schema, MATCH, column);
        }
        for (String column : fields) {
            column(schema, FIELDS, column);
        }
        List<String> inputColumns = inputColumns(match, matchMap);
        for (String column : normalize.keySet()) {
            if (!match.contains(column)) {
                throw new IllegalArgumentException("normalize names '" + column + "', which is not one of the match"
                        + " columns " + match);
            }
        }
        List<Normalizer.Rule> rules = new ArrayList<>();
        for (String column : match) {
            String wire = normalize.get(column);
            rules.add(wire != null ? Normalizer.Rule.fromWire(wire) : ruleOf(schema.column(column).orElseThrow()));
        }
        return new Plan(inputColumns, List.copyOf(rules));
    }

    /** The dataset name, before the dataset itself is known. */
    static String datasetName(Map<String, Object> options) {
        if (options == null || !(options.get(DATASET) instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("an append job needs options.dataset: the name of the dataset to"
                    + " append from");
        }
        return name;
    }

    /**
     * The input column of the first match column, known without the dataset (the loader needs it even when
     * the dataset is gone; processing then fails the batch with the reason).
     */
    String firstInputColumn() {
        String first = match.getFirst();
        for (Map.Entry<String, String> entry : matchMap.entrySet()) {
            if (first.equals(entry.getValue())) {
                return entry.getKey().strip();
            }
        }
        return first;
    }

    private static void checkKeys(Map<String, Object> options) {
        for (String key : options.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown append option '" + key + "'; use dataset, match, "
                        + "match_map, fields, normalize, escape_formulas");
            }
        }
    }

    /** The input column of each match column; checks {@code match_map} against the match columns. */
    private static List<String> inputColumns(List<String> match, Map<String, String> matchMap) {
        Map<String, String> byDatasetColumn = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : matchMap.entrySet()) {
            if (!match.contains(entry.getValue())) {
                throw new IllegalArgumentException("match_map maps '" + entry.getKey() + "' to '" + entry.getValue()
                        + "', which is not one of the match columns " + match);
            }
            if (byDatasetColumn.put(entry.getValue(), entry.getKey().strip()) != null) {
                throw new IllegalArgumentException("match_map maps two input columns to '" + entry.getValue() + "'");
            }
        }
        List<String> inputColumns = match.stream().map(c -> byDatasetColumn.getOrDefault(c, c)).toList();
        Set<String> distinct = new HashSet<>();
        for (String input : inputColumns) {
            if (input.isEmpty() || !distinct.add(input.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("the input columns of the match must be distinct and non-blank,"
                        + " were " + inputColumns);
            }
        }
        return inputColumns;
    }

    private static Normalizer.Rule ruleOf(Column column) {
        return column.type() == ColumnType.EMAIL ? Normalizer.Rule.EMAIL : Normalizer.ruleFor(column.name());
    }

    private static List<String> columns(Map<String, Object> options, String key, Schema schema) {
        Object value = options.get(key);
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("an append job needs options." + key + ": a non-empty list of "
                    + "columns of the dataset");
        }
        List<String> columns = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name) || schema.column(name).isEmpty()) {
                throw new IllegalArgumentException(notAColumn(key, item, schema));
            }
            if (columns.contains(name)) {
                throw new IllegalArgumentException("options." + key + " names '" + name + "' twice");
            }
            columns.add(name);
        }
        return List.copyOf(columns);
    }

    private static void column(Schema schema, String key, String name) {
        if (schema.column(name).isEmpty()) {
            throw new IllegalArgumentException(notAColumn(key, name, schema));
        }
    }

    private static String notAColumn(String key, Object item, Schema schema) {
        return "options." + key + ": '" + item + "' is not a column of the dataset; its columns are "
                + schema.columns().stream().map(Column::name).toList();
    }

    /** The column names of stored options, in order (checked when the job was created). */
    private static List<String> names(Map<String, Object> options, String key) {
        if (!(options.get(key) instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("an append job needs options." + key);
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static Map<String, String> stringMap(Map<String, Object> options, String key) {
        Object value = options.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("options." + key + " must be an object of column names");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new IllegalArgumentException("options." + key + "." + entry.getKey() + " must be a string");
            }
            result.put(String.valueOf(entry.getKey()), text);
        }
        return result;
    }
}
