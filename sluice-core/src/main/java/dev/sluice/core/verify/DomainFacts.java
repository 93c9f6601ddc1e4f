package dev.sluice.core.verify;

import dev.sluice.core.verify.dns.MailDomain;
import java.time.Instant;

/**
 * What verification learned about a domain, worth keeping across jobs: DNS's answer and whether the
 * domain is catch-all (null when unknown), until {@code expiresAt}.
 */
public record DomainFacts(MailDomain mail, Boolean catchAll, Instant expiresAt) {
}
