package dev.sluice.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an import does with an input record whose key is already in the dataset. */
public enum ImportType {
    /** Keep the existing record; the input record counts as {@code ignored}. */
    @JsonProperty("ignore") IGNORE,
    /** Change the mapped columns of the existing record (the server's default). */
    @JsonProperty("update") UPDATE,
    /** Write every column; columns the file does not map become empty. */
    @JsonProperty("replace") REPLACE
}
