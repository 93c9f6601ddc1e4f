package dev.sluice.core.dataset;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One column of a dataset. Names are lower-case identifiers ({@code [a-z][a-z0-9_]*}, at most 63
 * characters, not starting with {@code sluice_}), which is what makes them safe as SQL identifiers.
 */
public record Column(String name, ColumnType type, boolean required) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public Column {
        Objects.requireNonNull(type, "type");
        checkName(name);
    }

    /** Throws {@link IllegalArgumentException} naming the rule when {@code name} cannot be a column or dataset name. */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith("sluice_")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid name: use 1 to 63 lower-case letters, "
                    + "digits and underscores, starting with a letter and not with 'sluice_'");
        }
    }

    /** The typed value of a cell; blank is null, or an error when the column is required. */
    public Object valueOf(String cell) {
        if (cell == null || cell.isBlank()) {
            if (required) {
                throw new InvalidValueException("'" + name + "' is required");
            }
            return null;
        }
        return type.parse(cell);
    }
}
