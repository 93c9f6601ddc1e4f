package dev.sluice.core.verify.dns;

import java.time.Instant;
import java.util.List;

/**
 * Where a domain's mail goes, as DNS said at {@code resolvedAt}, valid until {@code expiresAt} (the
 * smallest TTL involved, negative answers included).
 *
 * @param domain    lower-case ASCII domain
 * @param status    the overall answer
 * @param mxHosts   mail servers in preference order (for {@code IMPLICIT_MX}: the domain itself); empty otherwise
 */
public record MailDomain(String domain, MailDomainStatus status, List<MxHost> mxHosts, Instant resolvedAt,
        Instant expiresAt) {

    public MailDomain {
        mxHosts = List.copyOf(mxHosts);
    }
}
