package dev.sluice.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle of a batch, as the server reports it. */
public enum BatchStatus {
    /** Created as a batch-file; the server waits for the PUT to its upload URL. */
    @JsonProperty("waiting_for_upload") WAITING_FOR_UPLOAD(false),
    /** Input accepted; waiting for a worker to load it. */
    @JsonProperty("queued") QUEUED(false),
    /** A worker is reading the input, checking its columns and cutting it into chunks. */
    @JsonProperty("loading") LOADING(false),
    /** Chunks are being processed. */
    @JsonProperty("in_progress") IN_PROGRESS(false),
    /** Every record has an outcome; the result can be downloaded. */
    @JsonProperty("completed") COMPLETED(true),
    /** Processing stopped on an error the server could not recover from; see the batch's error. */
    @JsonProperty("failed") FAILED(true),
    /** The input could not be read as records (encoding, missing column, ...); see the batch's error. */
    @JsonProperty("malformed") MALFORMED(true),
    /** Cancelled by a client before it finished. */
    @JsonProperty("cancelled") CANCELLED(true);

    private final boolean terminal;

    BatchStatus(boolean terminal) {
        this.terminal = terminal;
    }

    /** True when the batch will not change status any more. */
    public boolean isTerminal() {
        return terminal;
    }
}
