package dev.sluice.core.result;

import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a verify result holds, counted: rows by status, by reason, by provider, and the most frequent domains.
 * Counted as a verify pass writes its rows ({@link Tally}), or by one streaming pass over a finished result
 * ({@link #of}), which gives the same report; reports of several batches add up with
 * {@link #sum}. Maps are ordered: statuses in their declared order (all four, zeros included), the others by
 * count, most first, then by name.
 *
 * @param records   rows counted; the statuses add up to it
 * @param statuses  rows per {@code sluice_status}
 * @param reasons   rows per {@code sluice_reason}
 * @param providers rows per non-empty {@code sluice_provider}; empty when the result has no such column
 * @param domains   rows per domain, the most frequent only: of {@code sluice_email}, or of the input email
 *                  cell when the address was not normalised; rows without a domain are not counted here.
 *                  Exact while a result has at most {@value #DOMAINS_TRACKED} distinct domains; beyond, the
 *                  rarest half is dropped whenever the count is reached, so that memory stays bounded, and a
 *                  frequent domain may fall short by the few rows it had when it was still rare
 */
public record ResultReport(long records, Map<String, Long> statuses, Map<String, Long> reasons,
                           Map<String, Long> providers, Map<String, Long> domains) {

    /** The column {@link #providers} reads; written by the provider stage, absent from older results. */
    public static final String PROVIDER_COLUMN = "sluice_provider";

    /** Distinct domains counted at once while reading a result. */
    public static final int DOMAINS_TRACKED = 100_000;

    public ResultReport {
        statuses = ordered(statuses, Integer.MAX_VALUE, true);
        reasons = ordered(reasons, Integer.MAX_VALUE, false);
        providers = ordered(providers, Integer.MAX_VALUE, false);
        domains = ordered(domains, Integer.MAX_VALUE, false);
    }

    /**
     * Counts {@code result}, one row at a time.
     *
     * @param emailColumn the input column holding the address, for the domain of rows not normalised
     * @param domainsKept how many of the most frequent domains the report keeps
     */
    public static ResultReport of(ResultFormat format, InputStream result, String emailColumn, int domainsKept)
            throws IOException {
        return of(format, result, emailColumn, domainsKept, DOMAINS_TRACKED);
    }

    static ResultReport of(ResultFormat format, InputStream result, String emailColumn, int domainsKept,
                           int domainsTracked) throws IOException {
        Tally tally = new Tally(domainsTracked);
        ResultRows.read(format, result, row -> tally.add(row.get(ResultColumns.STATUS),
                row.get(ResultColumns.REASON), row.get(PROVIDER_COLUMN),
                domain(row.get(ResultColumns.EMAIL), row.get(emailColumn)), 1));
        return tally.report(domainsKept);
    }

    /** The reports of several results added up, keeping the {@code domainsKept} most frequent domains. */
    public static ResultReport sum(Collection<ResultReport> reports, int domainsKept) {
        Tally tally = new Tally(Integer.MAX_VALUE);
        reports.forEach(tally::add);
        return tally.report(domainsKept);
    }

    /**
     * A report being counted, row by row or report by report: the verify pass counts each chunk's rows as it
     * writes them ({@link #add(Verdict, String)}), so a batch's report is its chunks' reports added up with no
     * pass over the result. Not thread-safe.
     */
    public static final class Tally {

        // counts in one-element arrays, so that counting a row boxes no number
        private final Map<String, long[]> statuses = new HashMap<>();
        private final Map<String, long[]> reasons = new HashMap<>();
        private final Map<String, long[]> providers = new HashMap<>();
        private final Map<String, long[]> domains = new HashMap<>();
        private final int domainsTracked;
        private long records;

        /** A tally keeping at most {@link #DOMAINS_TRACKED} domains at once. */
        public Tally() {
            this(DOMAINS_TRACKED);
        }

        Tally(int domainsTracked) {
            this.domainsTracked = domainsTracked;
        }

        /** Counts {@code n} rows of one verdict; {@code cell} is the row's input email cell. */
        public void add(Verdict verdict, String cell, long n) {
            add(verdict.status().wire(), verdict.reason().code(), verdict.provider(),
                    domain(verdict.normalized(), cell), n);
        }

        /** Counts one row of one verdict. */
        public void add(Verdict verdict, String cell) {
            add(verdict, cell, 1);
        }

        /** Adds a whole report. */
        public void add(ResultReport report) {
            records += report.records;
            report.statuses.forEach((key, n) -> count(statuses, key, n));
            report.reasons.forEach((key, n) -> count(reasons, key, n));
            report.providers.forEach((key, n) -> count(providers, key, n));
            report.domains.forEach((key, n) -> count(domains, key, n));
            if (domains.size() > domainsTracked) {
                dropRarest();
            }
        }

        void add(String status, String reason, String provider, String domain, long n) {
            records += n;
            count(statuses, status, n);
            count(reasons, reason, n);
            count(providers, provider, n);
            count(domains, domain, n);
            if (domains.size() > domainsTracked) {
                dropRarest();
            }
        }

        private static void count(Map<String, long[]> counts, String key, long n) {
            if (key != null && !key.isEmpty()) {
                long[] count = counts.get(key);
                if (count == null) {
                    counts.put(key, new long[] {n});
                } else {
                    count[0] += n;
                }
            }
        }

        /** Drops the domains counted at most as often as the median one: the rarest half, or more on ties. */
        private void dropRarest() {
            long[] sorted = domains.values().stream().mapToLong(count -> count[0]).sorted().toArray();
            long median = sorted[sorted.length / 2];
            domains.values().removeIf(count -> count[0] <= median);
        }

        /** What was counted, keeping the {@code domainsKept} most frequent domains. */
        public ResultReport report(int domainsKept) {
            return new ResultReport(records, unboxed(statuses), unboxed(reasons), unboxed(providers),
                    top(unboxed(domains), domainsKept));
        }

        private static Map<String, Long> unboxed(Map<String, long[]> counts) {
            Map<String, Long> unboxed = HashMap.newHashMap(counts.size());
            counts.forEach((key, count) -> unboxed.put(key, count[0]));
            return unboxed;
        }
    }

    /** This report with only the {@code n} most frequent domains. */
    public ResultReport topDomains(int n) {
        return new ResultReport(records, statuses, reasons, providers, top(domains, n));
    }

    /** The domain a row counts under: of its normalised address, else of its input cell; null when none. */
    static String domain(String normalised, String input) {
        String address = normalised == null || normalised.isEmpty() ? input : normalised;
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return at < 0 ? null : address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        return ordered(counts, n, false);
    }

    private static Map<String, Long> ordered(Map<String, Long> counts, int limit, boolean statusOrder) {
        Map<String, Long> ordered = new LinkedHashMap<>();
        if (statusOrder) {
            for (VerdictStatus status : VerdictStatus.values()) {
                ordered.put(status.wire(), counts.getOrDefault(status.wire(), 0L));
            }
            counts.forEach(ordered::putIfAbsent);
            return Collections.unmodifiableMap(ordered);
        }
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
        return Collections.unmodifiableMap(ordered);
    }
}
