package dev.sluice.core.verify.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * One mail server of a domain: its name, MX preference (lower first) and its addresses as resolved
 * through the same resolver (empty when the name has none).
 */
public record MxHost(String host, int preference, List<InetAddress> addresses) {

    public MxHost {
        addresses = List.copyOf(addresses);
    }
}
