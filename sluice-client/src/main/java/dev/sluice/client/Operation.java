package dev.sluice.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of work a job does; every batch of the job gets the same operation. */
public enum Operation {
    /** Verify every email address and give it a verdict (valid, invalid, accept_all, unknown). */
    @JsonProperty("verify") VERIFY,
    /** Append missing email addresses to contact records from a dataset. */
    @JsonProperty("append") APPEND,
    /** Load records into a reference dataset. */
    @JsonProperty("import") IMPORT,
    /** Extract records from a dataset. */
    @JsonProperty("export") EXPORT,
    /** Quote a verify: every check but SMTP; the batch gets an {@link Estimate}. */
    @JsonProperty("estimate") ESTIMATE
}
