package dev.sluice.server.job;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.StorageProperties;
import dev.sluice.server.storage.StoredBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;

/**
 * The per-account storage quota ({@code sluice.storage.account-quota}): the bytes an account keeps in
 * blob storage (uploaded inputs, their chunks and parts, results, exports) may not grow past it through a
 * new upload. Usage is read from the storage itself (every blob of an account lives under its own prefix),
 * so it is always what is really kept; work already accepted still writes its results.
 */
@Component
public class StorageQuota {

    private final BlobStorage storage;
    private final long quota;

    public StorageQuota(BlobStorage storage, StorageProperties properties) {
        this.storage = storage;
        this.quota = properties.accountQuota().toBytes();
    }

    /** The quota in bytes, or 0 when there is none. */
    public long quotaBytes() {
        return quota;
    }

    /** The bytes of blobs the account keeps now. */
    public long usedBytes(String accountId) {
        try {
            return storage.list(BlobKeys.account(accountId)).stream().mapToLong(StoredBlob::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the storage used by account " + accountId, e);
        }
    }

    /**
     * The bytes a new upload of the account may still take ({@link Long#MAX_VALUE} without a quota); throws
     * {@link Problem#INSUFFICIENT_STORAGE} when the account is at its quota, or {@code declaredBytes} (0 when
     * unknown) would take it past.
     */
    public long roomForUpload(String accountId, long declaredBytes) {
        if (quota <= 0) {
            return Long.MAX_VALUE;
        }
        long used = usedBytes(accountId);
        long room = quota - used;
        if (room <= 0 || declaredBytes > room) {
            throw overQuota(used);
        }
        return room;
    }

    /** The problem of an upload that would take the account past its quota. */
    public ProblemException overQuota(long used) {
        return new ProblemException(Problem.INSUFFICIENT_STORAGE, "this account keeps " + used + " bytes of uploads "
                + "and results and its storage quota is " + quota + " bytes; delete jobs whose results you no longer "
                + "need, then retry");
    }
}
