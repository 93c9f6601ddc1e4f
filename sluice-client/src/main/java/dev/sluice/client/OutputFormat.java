package dev.sluice.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** File format of a job's results. */
public enum OutputFormat {
    /** Comma-separated values with a header row. */
    @JsonProperty("csv") CSV,
    /** One JSON array of records. */
    @JsonProperty("json") JSON,
    /** One JSON object per line. */
    @JsonProperty("ndjson") NDJSON
}
