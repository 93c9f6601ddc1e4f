package dev.sluice.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** File format of a job's results. */
public enum OutputFormat {
    /** Comma-separated values with a header row. */
    @JsonProperty("csv") CSV,
    /** One JSON array of records. */
    @JsonProperty("json") JSON,
    /** One JSON object per line. */
    @JsonProperty("ndjson") NDJSON,
    /** An XML document of records; exports only. */
    @JsonProperty("xml") XML;

    /** The word the API uses, e.g. {@code ndjson}; also the file extension. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
