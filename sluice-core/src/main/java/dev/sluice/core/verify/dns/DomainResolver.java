package dev.sluice.core.verify.dns;

import java.util.concurrent.CompletableFuture;

/**
 * Finds where a domain's mail goes. Implementations are asynchronous, bound their concurrency and cache
 * answers for their TTL (negative answers too). The future never completes exceptionally: DNS trouble is
 * a {@link MailDomainStatus#FAILURE} or {@link MailDomainStatus#TIMEOUT} answer.
 */
public interface DomainResolver {

    /** @param asciiDomain lower-case ASCII (punycode) domain, without a trailing dot */
    CompletableFuture<MailDomain> resolve(String asciiDomain);
}
