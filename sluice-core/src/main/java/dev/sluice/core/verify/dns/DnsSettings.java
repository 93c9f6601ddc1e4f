package dev.sluice.core.verify.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link DnsDomainResolver} talks to DNS and how long it keeps answers.
 *
 * @param servers              resolvers to ask, in order; empty means the system's resolvers
 *                             ({@code /etc/resolv.conf} and friends, as dnsjava finds them)
 * @param timeout              longest wait for one domain's whole answer (MX and the hosts' addresses);
 *                             default {@link #DEFAULT_TIMEOUT}
 * @param maxConcurrentLookups domains resolved at the same time; further ones wait in a queue; default
 *                             {@link #DEFAULT_MAX_CONCURRENT_LOOKUPS}
 * @param maxCacheTtl          upper bound on how long a positive answer is kept, whatever its TTL says;
 *                             default {@link #DEFAULT_MAX_CACHE_TTL}
 * @param negativeCacheTtl     how long NXDOMAIN and "no records" answers are kept (also the upper bound
 *                             for DNS failures); default {@link #DEFAULT_NEGATIVE_CACHE_TTL}; zero
 *                             disables negative caching
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int maxConcurrentLookups,
        Duration maxCacheTtl, Duration negativeCacheTtl) {

    /** The port of a server written without one. */
    public static final int DEFAULT_PORT = 53;
    /** Default {@link #timeout()}: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #maxConcurrentLookups()}: 64 domains. */
    public static final int DEFAULT_MAX_CONCURRENT_LOOKUPS = 64;
    /** Default {@link #maxCacheTtl()}: 1 hour. */
    public static final Duration DEFAULT_MAX_CACHE_TTL = Duration.ofHours(1);
    /** Default {@link #negativeCacheTtl()}: 5 minutes. */
    public static final Duration DEFAULT_NEGATIVE_CACHE_TTL = Duration.ofMinutes(5);

    public DnsSettings {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxCacheTtl, "maxCacheTtl");
        Objects.requireNonNull(negativeCacheTtl, "negativeCacheTtl");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("DNS timeout must be positive, was " + timeout);
        }
        if (maxConcurrentLookups < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrentLookups must be at least 1, was " + maxConcurrentLookups);
        }
        if (maxCacheTtl.isNegative()) {
            throw new IllegalArgumentException("maxCacheTtl must not be negative, was " + maxCacheTtl);
        }
        if (negativeCacheTtl.isNegative()) {
            throw new IllegalArgumentException("negativeCacheTtl must not be negative, was " + negativeCacheTtl);
        }
    }

    /** The system's resolvers and every default. */
    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), DEFAULT_TIMEOUT, DEFAULT_MAX_CONCURRENT_LOOKUPS, DEFAULT_MAX_CACHE_TTL,
                DEFAULT_NEGATIVE_CACHE_TTL);
    }

    /** These settings asking the given servers instead. */
    public DnsSettings withServers(List<InetSocketAddress> newServers) {
        return new DnsSettings(newServers, timeout, maxConcurrentLookups, maxCacheTtl, negativeCacheTtl);
    }

    /** These settings with another timeout. */
    public DnsSettings withTimeout(Duration newTimeout) {
        return new DnsSettings(servers, newTimeout, maxConcurrentLookups, maxCacheTtl, negativeCacheTtl);
    }

    /** These settings with another concurrency bound. */
    public DnsSettings withMaxConcurrentLookups(int newMaxConcurrentLookups) {
        return new DnsSettings(servers, timeout, newMaxConcurrentLookups, maxCacheTtl, negativeCacheTtl);
    }

    /** These settings with other cache bounds. */
    public DnsSettings withCacheTtls(Duration newMaxCacheTtl, Duration newNegativeCacheTtl) {
        return new DnsSettings(servers, timeout, maxConcurrentLookups, newMaxCacheTtl, newNegativeCacheTtl);
    }

    /**
     * Reads a comma-separated server list such as {@code 127.0.0.1:5353, [::1]:53, 9.9.9.9}: IPv4 or host
     * name with an optional {@code :port}, IPv6 in brackets with an optional port (a bare IPv6 literal is
     * taken whole), port {@value #DEFAULT_PORT} when none is given. Blank input gives an empty list, which
     * means the system's resolvers.
     *
     * @throws IllegalArgumentException naming the entry that cannot be read
     */
    public static List<InetSocketAddress> parseServers(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String entry = raw.strip();
            if (!entry.isEmpty()) {
                servers.add(parseServer(entry));
            }
        }
        return List.copyOf(servers);
    }

    private static InetSocketAddress parseServer(String entry) {
        String host;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw invalid(entry, "an IPv6 address opened with '[' needs a closing ']'");
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(entry, "write the port as [address]:port");
                }
                port = rest.substring(1);
            }
        } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
            host = entry; // a bare IPv6 literal: its colons are not a port separator
        } else {
            int colon = entry.indexOf(':');
            host = colon < 0 ? entry : entry.substring(0, colon);
            port = colon < 0 ? null : entry.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(entry, "the host is missing");
        }
        int portNumber = DEFAULT_PORT;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw invalid(entry, "the port must be a number from 1 to 65535");
            }
            if (portNumber < 1 || portNumber > 65535) {
                throw invalid(entry, "the port must be a number from 1 to 65535");
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (UnknownHostException e) {
            throw invalid(entry, "the host name does not resolve; use an IP address");
        }
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("Cannot read DNS server '" + entry + "': " + why
                + " (expected host:port entries separated by commas, e.g. 127.0.0.1:5353, [::1]:53)");
    }
}
