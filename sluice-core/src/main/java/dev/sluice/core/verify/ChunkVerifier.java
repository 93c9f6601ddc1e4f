package dev.sluice.core.verify;

import java.util.List;

/**
 * Verifies the email cells of one chunk at once, answering one verdict per cell in the same order.
 * Seeing the whole chunk lets an implementation group addresses by domain, share DNS answers and SMTP
 * connections, and work on many domains concurrently.
 */
@FunctionalInterface
public interface ChunkVerifier {

    List<Verdict> verifyAll(List<String> cells);
}
