package dev.sluice.server.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one rule for every server-side connection to a host named by a user (source URIs, FTP data
 * connections, webhook deliveries, and any capability that builds its own guard with {@link #allowing}):
 * an address in any IANA special-purpose range (loopback, private, link-local with cloud metadata, carrier-grade
 * NAT, documentation, benchmarking, reserved, broadcast, multicast, unique-local...) or an IPv6 address that
 * embeds such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) is refused, unless an allow entry
 * names the host or the address, and the port when the entry has one ({@code 127.0.0.1:9000}).
 *
 * <p>The decision is made on resolved addresses, before any connection is attempted.
 */
@Component
public class AddressGuard {

    /** Why a host was refused. */
    public enum Kind {
        /** The host name does not resolve. */
        UNRESOLVED,
        /** The host resolves to an address the server must not reach, and no allow entry names it with this port. */
        INTERNAL
    }

    /**
     * A refused host: why, for {@link Kind#INTERNAL} the address it resolved to, the port, and the setting
     * whose allow entries could let it through.
     */
    public record Refusal(Kind kind, String host, String address, int port, String setting) {

        /** A sentence for logs and problem details, saying what an operator can do. */
        public String message(String what) {
            return kind == Kind.UNRESOLVED
                    ? "the " + what + " host '" + host + "' does not resolve"
                    : "the " + what + " host '" + host + "' resolves to " + address + ", a loopback, private, "
                            + "link-local or other special-purpose address; an operator can allow it (with port "
                            + port + ") with " + setting;
        }
    }

    /** One allow entry: a host name or address, and a port or -1 for every port. */
    private record Entry(String host, InetAddress address, int port) {

        boolean matches(String name, InetAddress resolved, int wanted) {
            if (port >= 0 && port != wanted) {
                return false;
            }
            return address != null ? resolved != null && address.equals(resolved) : host.equals(name);
        }
    }

    private final String setting;
    private final List<Entry> allowed;

    /** The guard of {@code sluice.fetch}: source URIs and notification URLs. */
    @Autowired
    public AddressGuard(FetchProperties properties) {
        this("sluice.fetch.allow", properties.allow());
    }

    private AddressGuard(String setting, Collection<String> entries) {
        this.setting = setting;
        this.allowed = entries.stream().map(String::strip).filter(s -> !s.isEmpty()).map(AddressGuard::entry).toList();
    }

    /**
     * A guard with its own allow list, for another capability's setting (e.g. SMTP verification). Entries are
     * {@code host}, {@code host:port}, {@code 10.0.0.5}, {@code 10.0.0.5:2525}, {@code ::1} or {@code [::1]:2525};
     * {@code setting} is the property they come from, named in refusal messages ({@code sluice.verify.smtp.allow}).
     *
     * @throws IllegalArgumentException when an entry's port is not a number from 1 to 65535
     */
    public static AddressGuard allowing(String setting, Collection<String> entries) {
        return new AddressGuard(setting, entries);
    }

    /**
     * Empty when the server may connect to {@code host} on {@code port}; resolves the name to decide (an
     * address literal is not looked up). Every address the name resolves to must pass.
     */
    public Optional<Refusal> refusal(String host, int port) {
        String name = unbracket(host.toLowerCase(Locale.ROOT));
        if (allowed.stream().anyMatch(e -> e.address() == null && e.matches(name, null, port))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            return Optional.of(new Refusal(Kind.UNRESOLVED, host, null, port, setting));
        }
        for (InetAddress address : addresses) {
            Optional<Refusal> refused = refusal(host, address, port);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    /**
     * Empty when the server may connect to {@code address} on {@code port}, an address already resolved
     * (by the caller's own resolver, say an MX lookup); {@code host} is the name it came from, for the
     * allow entries that name hosts and for the message.
     */
    public Optional<Refusal> refusal(String host, InetAddress address, int port) {
        String name = unbracket(host.toLowerCase(Locale.ROOT));
        if (!isSpecialPurpose(address) || allowed.stream().anyMatch(e -> e.matches(name, address, port))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(Kind.INTERNAL, host, address.getHostAddress(), port, setting));
    }

    /**
     * Whether {@code address} lies in an IANA special-purpose range (IPv4 and IPv6 registries), is multicast,
     * or is an IPv6 address embedding an IPv4 address that is. Globally reachable unicast answers false.
     */
    public static boolean isSpecialPurpose(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? isSpecialV4(bytes) : isSpecialV6(bytes);
    }

    /** IANA IPv4 Special-Purpose Address Registry, plus multicast and 240/4 (reserved, broadcast). */
    private static final int[][] SPECIAL_V4 = {
            {0, 0, 0, 0, 8}, // "this network"
            {10, 0, 0, 0, 8}, // private
            {100, 64, 0, 0, 10}, // carrier-grade NAT
            {127, 0, 0, 0, 8}, // loopback
            {169, 254, 0, 0, 16}, // link-local, cloud metadata
            {172, 16, 0, 0, 12}, // private
            {192, 0, 0, 0, 24}, // IETF protocol assignments (DS-Lite, NAT64 discovery...)
            {192, 0, 2, 0, 24}, // documentation TEST-NET-1
            {192, 31, 196, 0, 24}, // AS112
            {192, 52, 193, 0, 24}, // AMT
            {192, 88, 99, 0, 24}, // deprecated 6to4 relay anycast
            {192, 168, 0, 0, 16}, // private
            {192, 175, 48, 0, 24}, // AS112 direct delegation
            {198, 18, 0, 0, 15}, // benchmarking
            {198, 51, 100, 0, 24}, // documentation TEST-NET-2
            {203, 0, 113, 0, 24}, // documentation TEST-NET-3
            {224, 0, 0, 0, 4}, // multicast (233.252.0.0/24 documentation included)
            {240, 0, 0, 0, 4}, // reserved, 255.255.255.255 limited broadcast included
    };

    /** IANA IPv6 Special-Purpose Address Registry, plus multicast and deprecated site-local; prefixes as 16 bytes. */
    private static final Object[][] SPECIAL_V6 = {
            {v6("::"), 128}, // unspecified
            {v6("::1"), 128}, // loopback
            {v6("64:ff9b:1::"), 48}, // local-use NAT64
            {v6("100::"), 64}, // discard-only
            {v6("100:0:0:1::"), 64}, // dummy prefix
            {v6("2001::"), 23}, // IETF protocol assignments (Teredo, ORCHID, AS112...)
            {v6("2001:db8::"), 32}, // documentation
            {v6("2620:4f:8000::"), 48}, // AS112 direct delegation
            {v6("3fff::"), 20}, // documentation
            {v6("5f00::"), 16}, // segment routing SIDs
            {v6("fc00::"), 7}, // unique local
            {v6("fe80::"), 10}, // link-local
            {v6("fec0::"), 10}, // deprecated site-local
            {v6("ff00::"), 8}, // multicast
    };

    private static boolean isSpecialV4(byte[] b) {
        for (int[] range : SPECIAL_V4) {
            byte[] prefix = {(byte) range[0], (byte) range[1], (byte) range[2], (byte) range[3]};
            if (inPrefix(b, prefix, range[4])) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpecialV6(byte[] b) {
        for (Object[] range : SPECIAL_V6) {
            if (inPrefix(b, (byte[]) range[0], (int) range[1])) {
                return true;
            }
        }
        byte[] embedded = embeddedV4(b);
        return embedded != null && isSpecialV4(embedded);
    }

    /**
     * The IPv4 address an IPv6 address carries: IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-translated
     * ({@code ::ffff:0:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) and
     * 6to4 ({@code 2002:aabb:ccdd::}); null for any other.
     */
    static byte[] embeddedV4(byte[] b) {
        boolean zeroTen = allZero(b, 0, 10);
        boolean mapped = zeroTen && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean translated = allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && allZero(b, 10, 12);
        boolean compatible = zeroTen && b[10] == 0 && b[11] == 0;
        boolean nat64 = inPrefix(b, v6("64:ff9b::"), 96);
        if (mapped || translated || compatible || nat64) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean inPrefix(byte[] address, byte[] prefix, int bits) {
        if (address.length != prefix.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (prefix[full] & mask);
    }

    private static byte[] v6(String literal) {
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length != 16) {
                throw new IllegalStateException(literal + " is not an IPv6 prefix");
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Entry entry(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String host = lower;
        int port = -1;
        if (lower.startsWith("[")) {
            int close = lower.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("sluice allow entry '" + text + "' opens '[' without closing it");
            }
            host = lower.substring(1, close);
            if (close + 1 < lower.length()) {
                if (lower.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("allow entry '" + text + "': expected ':port' after ']'");
                }
                port = port(text, lower.substring(close + 2));
            }
        } else if (lower.indexOf(':') >= 0 && lower.indexOf(':') == lower.lastIndexOf(':')) {
            int colon = lower.indexOf(':');
            host = lower.substring(0, colon);
            port = port(text, lower.substring(colon + 1));
        }
        return new Entry(host, literal(host), port);
    }

    private static int port(String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("allow entry '" + entry + "' has port '" + text
                + "'; write host, host:port (1 to 65535) or [ipv6]:port");
    }

    /** The address of an IP literal entry; null for a host name (never looked up here). */
    private static InetAddress literal(String host) {
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("allow entry '" + host + "' is not a valid IP address", e);
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
