package dev.sluice.server.drop;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Backoff after failed SFTP logins, per source address, per username and per pair of both. Each attempt
 * whose password is checked counts as a failure before the (deliberately slow) hash runs, so parallel
 * connections cannot slip past the count, and a success takes its count back. Beyond {@code freeFailures}
 * a key is locked for {@code backoff}, doubling with each further failure up to {@code maxBackoff}; an
 * attempt on a locked key is refused without checking its password and counts nothing, so locks never
 * grow while they hold. A key quiet for {@code maxBackoff} after its lock is forgotten.
 *
 * <p>A source that once logged in as a user is trusted for that user: locks on the source or on the
 * username (someone else guessing) do not stop it, only its own pair's lock does. So the right password
 * from where it was used before keeps working while others hammer the account, and from anywhere else it
 * works again at the latest {@code maxBackoff} after the last counted failure.
 *
 * <p>State is in memory, per node, bounded to {@link #MAX_KEYS} entries per kind (least recently used go
 * first). IPv6 sources count per /64, the block one host usually owns.
 */
final class LoginBackoff {

    /** The most sources, usernames, pairs and trusted pairs remembered, each. */
    static final int MAX_KEYS = 10_000;

    private final int freeFailures;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Map<String, Strikes> sources = lru();
    private final Map<String, Strikes> users = lru();
    private final Map<String, Strikes> pairs = lru();
    private final Map<String, Boolean> trusted = lru();

    LoginBackoff(int freeFailures, Duration backoff, Duration maxBackoff, Clock clock) {
        if (freeFailures < 0) {
            throw new IllegalArgumentException("sluice.drop.login-free-failures must be 0 or more, not " + freeFailures);
        }
        if (backoff.isNegative() || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("sluice.drop.login-backoff must be positive and at most "
                    + "sluice.drop.login-backoff-max; got " + backoff + " and " + maxBackoff);
        }
        this.freeFailures = freeFailures;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether the password of this attempt may be checked now. When it may, the attempt is counted as a
     * failure at once; call {@link #succeeded} if the password matches. When it may not, nothing is counted.
     */
    synchronized boolean admit(InetAddress source, String name) {
        String username = userKey(name);
        Instant now = clock.instant();
        String from = sourceKey(source);
        String pair = pairKey(from, username);
        boolean known = trusted.get(pair) != null;
        if (locked(pairs, pair, now) || !known && (locked(sources, from, now) || locked(users, username, now))) {
            return false;
        }
        strike(sources, from, now);
        strike(users, username, now);
        strike(pairs, pair, now);
        return true;
    }

    /** The admitted attempt's password matched: its failure is taken back and the source trusted for the user. */
    synchronized void succeeded(InetAddress source, String name) {
        String username = userKey(name);
        String from = sourceKey(source);
        String pair = pairKey(from, username);
        forgive(sources, from);
        forgive(users, username);
        pairs.remove(pair);
        trusted.put(pair, Boolean.TRUE);
    }

    /** How long {@code failures} counted failures lock a key: nothing up to the free ones, then doubling. */
    Duration lockFor(int failures) {
        int beyond = failures - freeFailures;
        if (beyond <= 0) {
            return Duration.ZERO;
        }
        Duration lock = backoff;
        for (int i = 1; i < beyond && lock.compareTo(maxBackoff) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(maxBackoff) < 0 ? lock : maxBackoff;
    }

    private boolean locked(Map<String, Strikes> strikes, String key, Instant now) {
        Strikes current = live(strikes, key, now);
        return current != null && now.isBefore(current.lockedUntil());
    }

    private void strike(Map<String, Strikes> strikes, String key, Instant now) {
        Strikes current = live(strikes, key, now);
        int failures = current == null ? 1 : current.failures() + 1;
        strikes.put(key, new Strikes(failures, now.plus(lockFor(failures))));
    }

    private void forgive(Map<String, Strikes> strikes, String key) {
        Strikes current = strikes.get(key);
        if (current == null) {
            return;
        }
        int failures = current.failures() - 1;
        if (failures <= 0) {
            strikes.remove(key);
        } else {
            // back to the lock the earlier failures earned, counted from the same moment
            Instant since = current.lockedUntil().minus(lockFor(current.failures()));
            strikes.put(key, new Strikes(failures, since.plus(lockFor(failures))));
        }
    }

    /** The strikes of a key, or null once it has been quiet for {@code maxBackoff} after its lock. */
    private Strikes live(Map<String, Strikes> strikes, String key, Instant now) {
        Strikes current = strikes.get(key);
        if (current != null && !now.isBefore(current.lockedUntil().plus(maxBackoff))) {
            strikes.remove(key);
            return null;
        }
        return current;
    }

    /** Usernames are account ids; a longer one is nobody's, and its first characters are key enough. */
    private static String userKey(String username) {
        return username.length() <= 64 ? username : username.substring(0, 64);
    }

    private static String pairKey(String source, String username) {
        return source + " " + username;
    }

    static String sourceKey(InetAddress source) {
        if (source instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(source.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return source.getHostAddress();
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }

    /** Counted failures of one key and the end of the lock they earned (in the past when none). */
    private record Strikes(int failures, Instant lockedUntil) {
    }
}
