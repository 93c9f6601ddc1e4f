package dev.sluice.client;

import java.util.List;
import java.util.Map;

/**
 * A verify job's report ({@link SluiceClient#report}): its completed batches' results counted, for the whole job
 * and per batch.
 *
 * @param total     the counted batches added up
 * @param batches   each completed batch's counts, in the job's order
 * @param uncounted batches without counts: not completed yet, or their result expired before it was counted
 */
public record JobReport(String jobId, Counts total, List<BatchReport> batches, int uncounted) {

    /**
     * Rows of one result, or of several added up.
     *
     * @param statuses   rows per status, all four present
     * @param reasons    rows per reason, most first
     * @param providers  rows per provider, most first; empty when the results name no provider
     * @param topDomains the 20 most frequent domains, most first
     */
    public record Counts(long records, Map<String, Long> statuses, Map<String, Long> reasons,
            Map<String, Long> providers, List<DomainCount> topDomains) {
    }

    /** One batch's counts. */
    public record BatchReport(String batchId, String fileName, Counts counts) {
    }

    /** A domain and its rows. */
    public record DomainCount(String domain, long records) {
    }
}
