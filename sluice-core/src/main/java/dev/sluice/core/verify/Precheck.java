package dev.sluice.core.verify;

/**
 * What the stages before SMTP say about one address ({@link VerificationEngine#precheckAll}): a verdict a verify
 * would give without talking to a mail server, or the provider of the mail servers it would have to ask.
 *
 * @param verdict the verdict decided without SMTP (syntax, lists, an account rule, the cache, DNS), or null
 * @param provider when SMTP must decide: the provider of the domain's mail servers
 *                 ({@link dev.sluice.core.verify.providers.ProviderTable#forMxHosts}); null otherwise
 */
public record Precheck(Verdict verdict, String provider) {

    /** Whether a verify would still ask a mail server about this address. */
    public boolean needsSmtp() {
        return verdict == null;
    }
}
