package dev.sluice.server.job;

import java.io.IOException;
import java.io.InputStream;

/**
 * Fetches a batch's source URI (http, https, ftp) for the worker, refusing addresses the server must
 * not reach. Implemented by the ingest capability.
 */
public interface SourceFetcher {

    /**
     * Opens the resource; the caller streams it to storage under {@link #maxBytes()} and closes it. A URI
     * that must not be fetched (scheme, address) throws {@link BatchRejectedException}.
     */
    InputStream open(String uri) throws IOException;

    /** The most bytes a fetched file may have. */
    long maxBytes();
}
