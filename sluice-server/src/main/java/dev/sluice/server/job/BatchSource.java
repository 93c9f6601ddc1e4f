package dev.sluice.server.job;

import java.util.Locale;

/** How a batch's records came in. */
public enum BatchSource {
    /** A file PUT to a signed upload URL. */
    UPLOAD,
    /** A file in a multipart form, uploaded with the request that created the batch. */
    MULTIPART,
    /** Records given inline as JSON. */
    INLINE,
    /** A file the server fetches from a URI (http, https, ftp) before loading it. */
    FETCH,
    /** No input: the operation produces its output (export). */
    PRODUCED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
