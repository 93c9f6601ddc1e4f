package dev.sluice.core.verify;

/**
 * What the preflight checks last said about the instruments the network stages stand on. A stage whose
 * instrument is broken gathers no evidence: a resolver that denies well-known domains would call every
 * domain missing, and an egress that cannot reach port 25 would call every mail server unreachable.
 *
 * @param resolverReliable the resolver gives true answers about domains (canaries exist, random names do not)
 * @param smtpEgressOpen   connections to mail servers on the SMTP port can be opened from here
 */
public record NetworkState(boolean resolverReliable, boolean smtpEgressOpen) {

    /** Both instruments work, or nobody checked them. */
    public static final NetworkState HEALTHY = new NetworkState(true, true);
}
