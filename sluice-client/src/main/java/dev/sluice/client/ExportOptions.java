package dev.sluice.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Options of an export job: exactly one source, a {@code dataset} (with optional {@code fields} and an
 * equality {@code filter}) or the results of a finished job ({@code jobId}).
 *
 * @param dataset the dataset to export, or null
 * @param fields  columns to write, in this order; empty for all
 * @param filter  column to the value it must equal; empty for every record
 * @param jobId   the finished job whose results to export, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ExportOptions(String dataset, List<String> fields, Map<String, Object> filter, String jobId)
        implements JobOptions {

    public ExportOptions {
        if ((dataset == null) == (jobId == null)) {
            throw new IllegalArgumentException("an export takes exactly one source: a dataset or a job id");
        }
        fields = fields == null ? List.of() : List.copyOf(fields);
        // insertion order kept (and nulls allowed: a null filter value means "the column is empty")
        filter = filter == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filter));
    }

    /** Every record and column of {@code dataset}. */
    public static ExportOptions dataset(String dataset) {
        return new ExportOptions(Objects.requireNonNull(dataset, "dataset"), List.of(), Map.of(), null);
    }

    /** The results of a finished job. */
    public static ExportOptions jobResults(String jobId) {
        return new ExportOptions(null, List.of(), Map.of(), Objects.requireNonNull(jobId, "jobId"));
    }

    public ExportOptions withFields(List<String> fields) {
        return new ExportOptions(dataset, fields, filter, jobId);
    }

    public ExportOptions withFilter(Map<String, Object> filter) {
        return new ExportOptions(dataset, fields, filter, jobId);
    }

    @Override
    @JsonIgnore
    public Operation operation() {
        return Operation.EXPORT;
    }
}
