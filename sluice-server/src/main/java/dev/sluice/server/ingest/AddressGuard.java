package dev.sluice.server.ingest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one rule for every server-side fetch (source URIs, webhook deliveries): a host that resolves to a
 * loopback, private, link-local (cloud metadata included), carrier-grade NAT, multicast or unspecified
 * address is refused unless {@code sluice.fetch.allow} names the host or the address.
 */
@Component
public class AddressGuard {

    /** Why a host was refused. */
    public enum Kind {
        /** The host name does not resolve. */
        UNRESOLVED,
        /** The host resolves to an address the server must not reach, and no allowlist entry names it. */
        INTERNAL
    }

    /** A refused host: why, and for {@link Kind#INTERNAL} the address it resolved to. */
    public record Refusal(Kind kind, String host, String address) {

        /** A sentence for logs and problem details, saying what an operator can do. */
        public String message(String what) {
            return kind == Kind.UNRESOLVED
                    ? "the " + what + " host '" + host + "' does not resolve"
                    : "the " + what + " host '" + host + "' resolves to " + address + ", a loopback, private or "
                            + "link-local address; an operator can allow it with sluice.fetch.allow";
        }
    }

    private final Set<String> allowed;

    @Autowired
    public AddressGuard(FetchProperties properties) {
        this(properties.allow());
    }

    private AddressGuard(Collection<String> allow) {
        this.allowed = allow.stream().map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Empty when the server may connect to {@code host}; resolves the name to decide. */
    public Optional<Refusal> refusal(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (allowed.contains(name)) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            return Optional.of(new Refusal(Kind.UNRESOLVED, host, null));
        }
        for (InetAddress address : addresses) {
            if (!allowed.contains(address.getHostAddress()) && isInternal(address)) {
                return Optional.of(new Refusal(Kind.INTERNAL, host, address.getHostAddress()));
            }
        }
        return Optional.empty();
    }

    // ---- For a resolver of someone else's (the SMTP stage: MX addresses found by the verification's own
    // DNS resolver, #14 item 8). Kept apart so it reconciles easily with changes to the rule above.

    /**
     * A guard with its own allowlist in the syntax of {@code sluice.fetch.allow} (host names or IP
     * addresses), e.g. {@code sluice.verify.smtp.allow}.
     */
    public static AddressGuard withAllowlist(Collection<String> allow) {
        return new AddressGuard(allow);
    }

    /**
     * The same decision as {@link #refusal(String)} for an address already resolved by another resolver:
     * true when the server may connect to {@code address}, found for {@code host}. Resolves nothing.
     */
    public boolean allows(String host, InetAddress address) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return allowed.contains(name) || allowed.contains(address.getHostAddress()) || !isInternal(address);
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        if (address instanceof Inet6Address) {
            byte first = address.getAddress()[0];
            // fc00::/7: unique local addresses
            return (first & 0xfe) == 0xfc;
        }
        byte[] bytes = address.getAddress();
        // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8
        return (bytes[0] == 100 && (bytes[1] & 0xc0) == 64) || bytes[0] == 0;
    }
}
