package dev.sluice.core.verify;

/**
 * The gate the {@link VerificationEngine} consults before its network stages: is the resolver reliable, is
 * the SMTP egress open. The server implements it with its preflight checks; the answer changes as later
 * checks pass or fail, so a paused stage resumes by itself.
 */
@FunctionalInterface
public interface NetworkHealth {

    /** The state now; may wait for the first check to finish, never for a later one. */
    NetworkState state();

    /** A gate that never doubts the network: for callers that run no preflight checks. */
    static NetworkHealth assumeHealthy() {
        return () -> NetworkState.HEALTHY;
    }
}
