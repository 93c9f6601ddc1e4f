package dev.sluice.server.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Fetches a batch's source URI (http, https, ftp) for the worker, refusing addresses the server must
 * not reach. Implemented by the ingest capability.
 */
public interface SourceFetcher {

    /**
     * Opens the resource for {@code accountId}; the caller streams it to storage under {@link #maxBytes()}
     * and closes it. Answers empty, without connecting, when this node already runs as many fetches as it
     * may (in all, or for this account): the caller frees its worker and tries again shortly, so fetches
     * never hold every worker. A URI that must not be fetched (scheme, address) throws
     * {@link BatchRejectedException}; a failed fetch throws (or its stream's reads throw)
     * {@link FetchFailedException}.
     */
    Optional<InputStream> open(String accountId, String uri) throws IOException;

    /** The most bytes a fetched file may have. */
    long maxBytes();
}
