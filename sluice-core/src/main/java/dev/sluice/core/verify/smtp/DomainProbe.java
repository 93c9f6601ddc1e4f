package dev.sluice.core.verify.smtp;

import java.util.Map;

/**
 * The SMTP evidence for one domain: whether it accepts any local part (a random probe address was
 * accepted; null when the probe gave no answer), each recipient's result keyed by address, and how many
 * connections it took.
 */
public record DomainProbe(String domain, Boolean catchAll, Map<String, RcptResult> results, int connections) {
}
