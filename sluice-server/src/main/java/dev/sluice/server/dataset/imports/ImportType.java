package dev.sluice.server.dataset.imports;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an import treats records whose key is already in the dataset; new keys are always inserted. */
public enum ImportType {
    /** Keep the existing record, the file's record is {@code ignored}; the first of duplicates in a file wins. */
    IGNORE,
    /** Overwrite only the mapped columns of the existing record; the last of duplicates in a file wins. */
    UPDATE,
    /** Overwrite the whole record, unmapped columns become null; the last of duplicates in a file wins. */
    REPLACE;

    /** The default, as the seed says. */
    public static final ImportType DEFAULT = UPDATE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire spelling; the message lists what is allowed. */
    public static ImportType fromWire(String value) {
        for (ImportType type : values()) {
            if (type.wire().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown importType '" + value + "'; use one of "
                + Arrays.stream(values()).map(ImportType::wire).collect(Collectors.joining(", ")));
    }
}
