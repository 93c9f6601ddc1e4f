package dev.sluice.server.ingest;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Fetching source URIs (http, https, ftp) from the server, and the address rule shared with notification URLs.
 *
 * @param allow          hosts or IP addresses, each with an optional port ({@code 127.0.0.1:9000},
 *                       {@code [::1]:9000}), that may be reached although they are loopback, private or
 *                       otherwise special-purpose (refused otherwise); an entry without a port allows every
 *                       port; default none (env {@code SLUICE_FETCH_ALLOW}, comma-separated)
 * @param timeout        connect timeout, and the longest wait for the response headers (FTP: for each
 *                       reply); default {@value #DEFAULT_TIMEOUT} (env {@code SLUICE_FETCH_TIMEOUT})
 * @param readTimeout    longest silence while the body is read, and the window {@code min-rate} is measured
 *                       over; default {@value #DEFAULT_READ_TIMEOUT} (env {@code SLUICE_FETCH_READ_TIMEOUT})
 * @param minRate        fewest bytes per second a body must average over each {@code read-timeout} window;
 *                       0 turns the check off; default {@value #DEFAULT_MIN_RATE} (env {@code SLUICE_FETCH_MIN_RATE})
 * @param deadline       longest a whole fetch may take, headers and body; default {@value #DEFAULT_DEADLINE}
 *                       (env {@code SLUICE_FETCH_DEADLINE})
 * @param concurrency    fetches this node runs at once; 0 means one fewer than the worker threads
 *                       ({@code sluice.job.worker-threads}) and more is capped there, so fetches never hold
 *                       every worker; default 0 (env {@code SLUICE_FETCH_CONCURRENCY})
 * @param concurrencyPerAccount fetches of one account this node runs at once; default
 *                       {@value #DEFAULT_CONCURRENCY_PER_ACCOUNT} (env {@code SLUICE_FETCH_CONCURRENCY_PER_ACCOUNT})
 */
@ConfigurationProperties("sluice.fetch")
public record FetchProperties(
        @DefaultValue("") List<String> allow,
        @DefaultValue(DEFAULT_TIMEOUT) Duration timeout,
        @DefaultValue(DEFAULT_READ_TIMEOUT) Duration readTimeout,
        @DefaultValue(DEFAULT_MIN_RATE) DataSize minRate,
        @DefaultValue(DEFAULT_DEADLINE) Duration deadline,
        @DefaultValue("0") int concurrency,
        @DefaultValue("" + DEFAULT_CONCURRENCY_PER_ACCOUNT) int concurrencyPerAccount) {

    public static final String DEFAULT_TIMEOUT = "30s";
    public static final String DEFAULT_READ_TIMEOUT = "30s";
    public static final String DEFAULT_MIN_RATE = "1KB";
    public static final String DEFAULT_DEADLINE = "1h";
    public static final int DEFAULT_CONCURRENCY_PER_ACCOUNT = 2;

    public FetchProperties {
        requirePositive("timeout", timeout);
        requirePositive("read-timeout", readTimeout);
        requirePositive("deadline", deadline);
        if (minRate.toBytes() < 0) {
            throw new IllegalArgumentException("sluice.fetch.min-rate must not be negative, was " + minRate);
        }
        if (concurrency < 0) {
            throw new IllegalArgumentException("sluice.fetch.concurrency must be 0 (automatic) or more, was " + concurrency);
        }
        if (concurrencyPerAccount < 1) {
            throw new IllegalArgumentException("sluice.fetch.concurrency-per-account must be at least 1, was "
                    + concurrencyPerAccount);
        }
    }

    /** Fetches this node runs at once, given its worker threads: always fewer than the workers (at least 1). */
    public int effectiveConcurrency(int workerThreads) {
        int most = Math.max(1, workerThreads - 1);
        return concurrency == 0 ? most : Math.min(concurrency, most);
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("sluice.fetch." + name + " must be positive, was " + value);
        }
    }
}
