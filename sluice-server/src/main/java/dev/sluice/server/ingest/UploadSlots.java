package dev.sluice.server.ingest;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Uploads in progress per account on this node, at most {@code sluice.ingest.max-uploads-per-account}. A
 * slot is taken before the first byte of a file is read (signed link, multipart, the seeds' uploads) and
 * given back when the request ends, so one account's slow uploads cannot take the node's request threads.
 */
@Component
public class UploadSlots {

    private final int perAccount;
    private final ConcurrentMap<String, Integer> inUse = new ConcurrentHashMap<>();

    UploadSlots(IngestProperties properties) {
        this.perAccount = properties.maxUploadsPerAccount();
    }

    /** A slot of {@code accountId}, or 429 {@link Problem#TOO_MANY_UPLOADS} when all are taken. */
    public Slot take(String accountId) {
        boolean[] taken = {false};
        inUse.compute(accountId, (account, count) -> {
            int current = count == null ? 0 : count;
            if (current >= perAccount) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            throw new ProblemException(Problem.TOO_MANY_UPLOADS, "this account has " + perAccount
                    + " uploads in progress, the most it may have at once; retry when one has finished");
        }
        return new Slot(accountId);
    }

    /** One upload's place; closing it gives the place back. */
    public final class Slot implements AutoCloseable {

        private final String accountId;
        private boolean closed;

        private Slot(String accountId) {
            this.accountId = accountId;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            inUse.computeIfPresent(accountId, (account, count) -> count <= 1 ? null : count - 1);
        }
    }
}
