package dev.sluice.client;

import java.util.List;
import java.util.Objects;

/**
 * Body of {@code POST /api/v1/datasets}.
 *
 * @param name    letters, digits and underscores, starting with a letter
 * @param columns the typed columns, in order
 * @param key     the columns identifying a record (at least one)
 */
public record CreateDataset(String name, List<Dataset.Column> columns, List<String> key) {

    public CreateDataset {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }
}
