package dev.sluice.server.storage;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code storage} health component, part of readiness: UP when the blob storage passes its
 * {@link BlobStorage#probe() probe} and the data directory's disk (and the local blob root's) has more free
 * space than {@code sluice.storage.min-free-space}; DOWN (with the reason logged) otherwise, so a node that
 * cannot keep uploads or results stops taking traffic. It replaces Spring's {@code diskSpace} component,
 * which watches the working directory.
 */
@Component
class StorageHealthIndicator extends AbstractHealthIndicator {

    private final BlobStorage storage;
    private final StorageSpace space;

    StorageHealthIndicator(BlobStorage storage, StorageSpace space) {
        super("blob storage probe failed");
        this.storage = storage;
        this.space = space;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        long free = space.usableBytes();
        builder.withDetail("kind", storage instanceof S3BlobStorage ? "s3" : "local")
                .withDetail("free_bytes", free)
                .withDetail("reserve_bytes", space.reserveBytes());
        if (free < space.reserveBytes()) {
            builder.down().withDetail("reason", "free space under sluice.storage.min-free-space");
            return;
        }
        storage.probe();
        builder.up();
    }
}
