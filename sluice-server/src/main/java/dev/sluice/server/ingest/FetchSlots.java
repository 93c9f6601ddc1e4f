package dev.sluice.server.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How many source fetches this node runs at once, in all and per account. A fetch holds a worker thread
 * while it streams, so the total stays below the worker threads: a stalling source can slow its own batch,
 * never every batch. Slots are local to the node; each node bounds its own workers.
 */
final class FetchSlots {

    private final int total;
    private final int perAccount;
    private final Map<String, Integer> byAccount = new HashMap<>();
    private int taken;

    FetchSlots(int total, int perAccount) {
        if (total < 1 || perAccount < 1) {
            throw new IllegalArgumentException("fetch slots must be at least 1, were " + total + " and " + perAccount);
        }
        this.total = total;
        this.perAccount = perAccount;
    }

    /** A slot for {@code accountId}, or empty when the node or the account runs as many fetches as it may. */
    synchronized Optional<Slot> tryTake(String accountId) {
        int mine = byAccount.getOrDefault(accountId, 0);
        if (taken >= total || mine >= perAccount) {
            return Optional.empty();
        }
        taken++;
        byAccount.put(accountId, mine + 1);
        return Optional.of(new Slot(accountId));
    }

    private synchronized void release(String accountId) {
        taken--;
        byAccount.computeIfPresent(accountId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** One running fetch; released once, however often {@link #release()} is called. */
    final class Slot {
        private final String accountId;
        private boolean released;

        private Slot(String accountId) {
            this.accountId = accountId;
        }

        void release() {
            synchronized (FetchSlots.this) {
                if (released) {
                    return;
                }
                released = true;
                FetchSlots.this.release(accountId);
            }
        }
    }
}
