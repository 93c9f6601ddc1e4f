package dev.sluice.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Options of an append job: each input record is matched to the dataset on {@code match} and gets the
 * dataset's {@code fields} added, plus {@code sluice_match} ({@code exact}, {@code normalized}, {@code none}).
 *
 * @param dataset   the dataset to append from; required
 * @param match     dataset columns to match on, also the input's column names unless {@code matchMap} says
 *                  otherwise; required
 * @param fields    dataset columns to add to each record; required
 * @param matchMap  input column to dataset column, where their names differ; empty otherwise
 * @param normalize dataset column to a rule ({@code generic}, {@code address}, {@code zip}, {@code email});
 *                  empty to choose by column type and name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AppendOptions(String dataset, List<String> match, List<String> fields, Map<String, String> matchMap,
        Map<String, String> normalize) implements JobOptions {

    public AppendOptions {
        Objects.requireNonNull(dataset, "dataset");
        match = List.copyOf(match);
        fields = List.copyOf(fields);
        matchMap = matchMap == null ? Map.of() : Map.copyOf(matchMap);
        normalize = normalize == null ? Map.of() : Map.copyOf(normalize);
        if (match.isEmpty() || fields.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one match column and one field");
        }
    }

    /** Matches on {@code match} (same names in the input and the dataset) and adds {@code fields}. */
    public static AppendOptions of(String dataset, List<String> match, List<String> fields) {
        return new AppendOptions(dataset, match, fields, Map.of(), Map.of());
    }

    public AppendOptions withMatchMap(Map<String, String> matchMap) {
        return new AppendOptions(dataset, match, fields, matchMap, normalize);
    }

    @Override
    @JsonIgnore
    public Operation operation() {
        return Operation.APPEND;
    }
}
