package dev.sluice.core.verify.smtp;

import java.net.InetAddress;

/**
 * Which mail server addresses the SMTP stage may connect to. Asked once per MX address before any
 * connection is attempted; a refused address is skipped, and a domain whose every MX address is refused
 * gets {@link RcptOutcome#ADDRESS_NOT_ALLOWED} for all its recipients without a connection. The server
 * refuses loopback, private and link-local addresses (the same guard as its fetches), so that a tenant
 * cannot make it talk SMTP to internal hosts by pointing a domain's MX there.
 */
@FunctionalInterface
public interface MxAddressPolicy {

    /**
     * @param host    the MX host name the address was found for
     * @param address the address the stage would connect to
     */
    boolean allows(String host, InetAddress address);

    /** Every address may be connected to: for tests and benches whose mail servers run on loopback. */
    static MxAddressPolicy anyAddress() {
        return (host, address) -> true;
    }
}
