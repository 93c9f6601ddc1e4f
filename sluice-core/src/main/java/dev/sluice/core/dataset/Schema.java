package dev.sluice.core.dataset;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The columns of a dataset and the ones that form its key. Key columns are required. Validated on
 * construction: unique names, a non-empty key made of existing columns.
 */
public record Schema(List<Column> columns, List<String> key) {

    /** Most columns a dataset may have. */
    public static final int MAX_COLUMNS = 200;

    public Schema {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        if (columns.isEmpty() || columns.size() > MAX_COLUMNS) {
            throw new IllegalArgumentException("a dataset needs 1 to " + MAX_COLUMNS + " columns");
        }
        Set<String> names = new HashSet<>();
        for (Column column : columns) {
            if (!names.add(column.name())) {
                throw new IllegalArgumentException("column '" + column.name() + "' is defined twice");
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs a key: one or more of its columns");
        }
        Set<String> keyNames = new HashSet<>();
        for (String name : key) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("key column '" + name + "' is not a column of the dataset");
            }
            if (!keyNames.add(name)) {
                throw new IllegalArgumentException("key column '" + name + "' is named twice");
            }
        }
        List<Column> required = new java.util.ArrayList<>(columns.size());
        for (Column column : columns) {
            boolean keyColumn = keyNames.contains(column.name());
            required.add(keyColumn && !column.required() ? new Column(column.name(), column.type(), true) : column);
        }
        columns = List.copyOf(required);
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<Column> keyColumns() {
        return key.stream().map(name -> column(name).orElseThrow()).toList();
    }
}
